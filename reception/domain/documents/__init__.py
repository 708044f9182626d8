"""Official documents as issued acts: their signatures and verification codes."""
