"""Digital signatures on the official documents (PAdES): issuing them signed, recording each
signature, and answering anyone who asks whether a document is genuine."""
