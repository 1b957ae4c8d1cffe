"""Stage 3, what is made from the Guide besides the pages: the open data (export), the printed
booklet and its PDF (booklet), the offline copy (offline). Imports the data and site stages."""
