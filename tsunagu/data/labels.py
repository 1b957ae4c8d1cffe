"""Every word the site, the booklet and the open data print for a coded value or a data field: one
label for one value, in one place.

The web pages, the printed booklet (a Jinja global, `labels`) and the exports read these maps, and the
models' descriptions (the editor schemas) name the values with them, so that a meeting whose consent
is `not_required` cannot read 「同意がなくても開ける」 on the web and 「同意が得られていない」 on paper.
"""

from __future__ import annotations

# ----------------------------------------------------------------------------
# Coded values (Literal fields of the models)
# ----------------------------------------------------------------------------

# meetings.yml meetings[].consent: the consent of the person and family
CONSENT: dict[str, str] = {
    "given": "同意が得られている",
    "not_given": "同意が得られていない",
    "not_required": "同意がなくても開ける",
}
# What a table cell shows for a meeting whose consent the data does not state
NOT_STATED = "―"

# programs.yml programs[].role: what a programme does for residents
CONSULTATION = "consultation"
ROLE: dict[str, str] = {
    CONSULTATION: "住民の最初の相談を受ける事業",
}

# flows/*.yml flow.audience: whom a question flow is for
AUDIENCE: dict[str, str] = {
    "residents": "お住まいの方へ",
    "professionals": "支援者の方へ",
}

# hours (agencies.yml, hub.yml, a phone's hours): days of the week, days closed, and the words
# that join them (「月〜金 8:30〜17:15（祝日・年末年始を除く）」)
WEEKDAY: dict[str, str] = {
    "mon": "月曜日", "tue": "火曜日", "wed": "水曜日", "thu": "木曜日", "fri": "金曜日", "sat": "土曜日", "sun": "日曜日",
    "holidays": "祝日",
}
CLOSED: dict[str, str] = {
    "holidays": "祝日",
    "citizens-holidays": "国民の休日",
    "new-year": "年末年始",
}
RANGE = "〜"
AND = "・"
EXCEPT = "を除く"
NEXT_DAY = "翌"
ALL_DAY = "終日"

# ----------------------------------------------------------------------------
# Names of data fields, as a page, the booklet or an export prints them before a value
# ----------------------------------------------------------------------------

FIELD: dict[str, str] = {
    # a meeting (meetings.yml)
    "field": "分野",
    "condition": "使う場面",
    "consent": "本人・家族の同意",
    "law": "根拠法",
    "in_charge": "担当",
    "convened_by": "開催",
    "attendees": "参加者",
    # a place: an agency (agencies.yml), the hub (hub.yml), a city section (offices.yml)
    "phones": "電話",
    "fax": "FAX",
    "email": "メール",
    "address": "所在地",
    "hours": "受付時間",
    "closed": "休み",
    "area": "担当地区",
    "areas": "担当する町名",
    "operator": "運営",
}


def consent(value: str | None) -> str:
    """The label of a meeting's consent; NOT_STATED where the data states none."""
    return CONSENT[value] if value else NOT_STATED


def describe(values: dict[str, str]) -> str:
    """The values with their labels for a model's description: 「given（同意が得られている）/ …」."""
    return " / ".join(f"{k}（{v}）" for k, v in values.items())


# The open data (export.py, the open-data page): what each HSDS file holds, and the dataset the CSV follows
HSDS_CONTENTS = {
    "organizations": "相談先などの機関（いくつもの機関が担う事業のために、市も）",
    "services": "事業と相談窓口（それぞれ、担う機関と結んでいます）",
    "phones": "電話番号と FAX 番号",
    "locations": "所在地（データに住所がある機関だけ）",
    "schedules": "受付時間（データにある機関だけ）",
    "service_areas": "担当する町名・地区（データにある相談窓口だけ）",
}

DATASET_NAME = "デジタル庁「自治体標準オープンデータセット」の「公共施設一覧」"
DATASET = (f"{DATASET_NAME}の、所在地を「所在地_連結表記」「所在地_都道府県」などの項目で表す版に合わせています"
           "（この版の項目定義書そのものは、このサイトを作るときに参照できなかったため、同じ版に沿って公開されている"
           "自治体のデータの項目名と並びにそろえています）")
