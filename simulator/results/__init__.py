"""Run results: the tables a run records and their files on disk."""
