"""Transcripts: jobs and stored tracks, review, search (and its candidate walk)."""
