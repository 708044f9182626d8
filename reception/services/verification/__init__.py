"""Checks an operator runs over everything stored (`reception verify-signatures`)."""
