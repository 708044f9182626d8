"""Case files: the register, receptions into cases, reports, evidence search."""
