"""Stage 1, the data: read a city's data folder, check every file and every reference between them,
and make the Guide, one validated view of the city's data (load.read_guide). Imports nothing of the
later stages; nothing here knows of pages, engines or MkDocs."""
