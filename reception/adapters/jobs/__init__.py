"""The durable job queue (procrastinate on our PostgreSQL) and the transcription job."""
