"""Smart-meter data: reading meter CSVs, importing them into a run, and the personal-data catalogue."""
