"""Where the built site keeps its downloads and its search index (paths under the site folder).

Names only, importing nothing: the offline copy's zip process reads them without loading the
rest of the package.
"""

OPENDATA = "opendata"
CSV_FILE = f"{OPENDATA}/directory.csv"
JSON_FILE = f"{OPENDATA}/guide.json"
SCHEMA_FILE = f"{OPENDATA}/guide.schema.json"
HSDS_FOLDER = f"{OPENDATA}/hsds"

BOOKLET_PAGE = "booklet/"
BOOKLET_PDF = "booklet.pdf"
OFFLINE_ZIP = "offline.zip"

SEARCH_INDEX = "search/index.json"
