"""Where the built site keeps its downloads and its search index (paths under the site folder), and
what the open data's files hold, as the open-data page says it.

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

HSDS_TABLES = ("organizations", "services", "phones", "locations", "schedules", "service_areas")

# Ours, after the dataset's: what a directory of consultation windows has and a facility list does not
OWN_COLUMNS = ["FAX番号", "担当地区", "担当する町名", "分野", "種別", "事業"]

# Each of the above, as messages call it: no page from the data may land on one (tsunagu.site.reserved).
# A test keeps this complete.
WRITTEN = {
    CSV_FILE: "相談先一覧の CSV", JSON_FILE: "データの JSON", SCHEMA_FILE: "JSON のスキーマ",
    f"{HSDS_FOLDER}/": "HSDS 形式のデータのフォルダ", BOOKLET_PAGE: "印刷用の冊子のページ", BOOKLET_PDF: "冊子の PDF",
    OFFLINE_ZIP: "オフライン版の zip", SEARCH_INDEX: "検索の索引",
}
