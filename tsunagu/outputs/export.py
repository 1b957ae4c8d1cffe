"""Open data from the Guide: the directory as CSV, the whole Guide as JSON with its schema, and
Open Referral HSDS 3.0 (the pages' schema.org JSON-LD is made by jsonld.py).

Pure functions of the Guide: no MkDocs, no file system except write_all(). Every value comes
from the data; where the data has no fact the field is empty (CSV) or left out (JSON, HSDS),
never guessed.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, create_model

from ..data import hours, labels, phone
from ..data import model as m
from ..data.address import address_of
from ..data.guide import Guide, ref_index
# Where the downloads live in the built site and what they hold (the open-data page reads these too)
from ..site.published import CSV_FILE, HSDS_FOLDER, HSDS_TABLES, JSON_FILE, OWN_COLUMNS, SCHEMA_FILE

# ----------------------------------------------------------------------------
# Directory CSV: デジタル庁「自治体標準オープンデータセット」公共施設一覧 (the version whose address
# columns are 所在地_連結表記 …), then columns of our own. See labels.DATASET.
# ----------------------------------------------------------------------------

# The dataset's columns, in its order
STANDARD_COLUMNS = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字", "名称_通称", "名称_通称_カナ", "名称_通称_英字",
    "所在地_全国地方公共団体コード", "町字ID", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下",
    "建物名等(方書)", "緯度", "経度", "電話番号", "内線番号", "連絡先メールアドレス", "連絡先FormURL", "連絡先備考（その他、SNSなど）",
    "郵便番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "説明", "バリアフリー情報",
    "URL", "画像", "画像_ライセンス", "備考",
]
CSV_COLUMNS = STANDARD_COLUMNS + OWN_COLUMNS

# Several values of one place share a cell, separated like this
JOIN = ";"


def phone_cell(phones) -> str:
    """Every phone of a place with its label and its own hours: 「事務所: 03-1234-5678; 相談電話: …」.
    One row per place (the dataset's ID names one place), so the numbers share this cell."""
    out = []
    for p in phones:
        text = f"{p.label}: {p.display}" if p.label else p.display
        if p.hours:
            text += f"（{p.hours}）"
        out.append(text)
    return f"{JOIN} ".join(out)


def _row(guide: Guide, place: m.Agency | m.Hub, **own: str) -> dict[str, str]:
    site = guide.site
    code = site.lg_code or ""
    addr = address_of(guide, place.address)
    days, opens, closes = hours.weekday_columns(place.hours) if place.hours else ("", "", "")
    note = place.hours and (hours.format(place.hours) if not days else
                            "　".join(x for x in (hours.closed_sentence(place.hours), place.hours.note) if x))
    if getattr(place, "closed", None):
        note = "　".join(x for x in (note, f"{labels.FIELD['closed']}: {place.closed}") if x)
    several = len(place.phones) > 1 or any(p.label or p.hours for p in place.phones)
    row = dict.fromkeys(CSV_COLUMNS, "")
    row.update({
        "全国地方公共団体コード": code, "ID": place.id, "地方公共団体名": (site.prefecture or "") + site.city,
        "名称": place.name, "所在地_全国地方公共団体コード": code if addr and addr.city else "",
        "所在地_連結表記": addr.full if addr else "", "所在地_都道府県": (addr.prefecture or "") if addr else "",
        "所在地_市区町村": (addr.city or "") if addr else "", "電話番号": place.phones[0].display,
        "連絡先メールアドレス": place.email or "", "連絡先備考（その他、SNSなど）": phone_cell(place.phones) if several else "",
        "郵便番号": (addr.postal_code or "") if addr else "", "利用可能曜日": days, "開始時間": opens, "終了時間": closes,
        "利用可能日時特記事項": note or "", "FAX番号": place.fax_display or "",
    })
    row.update(own)
    return row


def directory_rows(guide: Guide) -> list[dict[str, str]]:
    """One row per agency, then the hub; "" where the data has no fact."""
    rows = []
    for a in guide.agencies:
        cat = guide.category(a.category)
        operator = guide.ref(a.operator).name if a.operator and a.operator in ref_index(guide) else (a.operator or "")
        rows.append(_row(guide, a, 団体名=operator, 説明=cat.plain or "", 備考=a.note or "", 担当地区=a.area or "",
                         担当する町名=JOIN.join(ar.name for ar in a.areas),
                         分野=JOIN.join(f.name for f in guide.category_fields(cat.id)), 種別=cat.name,
                         事業=JOIN.join(p.name for p in guide.agency_programs(a))))
    h = guide.hub
    rows.append(_row(guide, h, 名称_通称=h.short or "", 団体名=guide.hub_operator_name or "",
                     説明=h.role + (f"（{h.commission}）" if h.commission else ""), 備考=h.access or "", 種別=h.role,
                     事業=JOIN.join(p.name for p in guide.hub_programs())))
    return rows


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, may drop them and read what follows as one): OWASP's "CSV injection". Full-width forms
# too, which Japanese spreadsheet software may turn into the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_cell(value: str) -> str:
    """A cell as written to the CSV: one starting like a formula gets a leading ' (OWASP), which
    spreadsheets show as text. Phone numbers (03-1234-5678, 110) and the other columns start with
    a digit or a letter and are written as they are."""
    return "'" + value if value.startswith(FORMULA_START) else value


def directory_csv(guide: Guide) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so that Excel opens it as Japanese text. Every cell
    passes csv_cell(), here and nowhere else."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in [dict(zip(CSV_COLUMNS, CSV_COLUMNS)), *directory_rows(guide)]:
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")


# ----------------------------------------------------------------------------
# The whole Guide as JSON, and its JSON Schema (from the same models as the data files)
# ----------------------------------------------------------------------------

# Guide attribute -> its type; the JSON holds these keys in this order
_GUIDE_FIELDS: dict[str, object] = {
    "site": m.Site, "fields": list[m.SupportField], "offices": list[m.Office], "categories": list[m.Category],
    "agencies": list[m.Agency], "hub": m.Hub, "programs": list[m.Program], "meeting_intro": str | None,
    "meeting_groups": list[m.MeetingGroup], "meetings": list[m.Meeting], "cases": list[m.Case],
    "support_flow": m.SupportFlow, "chapters": list[m.Chapter], "household_problems": m.HouseholdProblems | None,
    "cycle": m.Cycle | None, "national": list[m.NationalContact], "flows": list[m.FlowFile],
    "glossary": list[m.GlossaryTerm], "updated": dict[str, m.Month],
}


class _Export(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


GuideExport = create_model(
    "GuideExport", __base__=_Export, __doc__="tsunagu のガイド全体（市のデータから作ったもの）",
    **{name: (tp, ...) for name, tp in _GUIDE_FIELDS.items()},
)


def guide_json(guide: Guide) -> dict:
    values = {name: getattr(guide, name, None) for name in _GUIDE_FIELDS}
    values = {k: (list(v) if isinstance(v, tuple) else ([] if v is None and k in ("glossary", "national", "flows",
                                                                                   "chapters") else v))
              for k, v in values.items()}
    return GuideExport.model_construct(**values).model_dump(mode="json")


def guide_schema() -> dict:
    schema = GuideExport.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# ----------------------------------------------------------------------------
# Open Referral HSDS 3.0: organizations, services, phones, locations (only where an address is known)
# ----------------------------------------------------------------------------


def _uid(guide: Guide, kind: str, id: str) -> str:
    """A stable UUID for an entity of this city (HSDS ids are UUIDs; ours are slugs)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tsunagu:{guide.site.city}:{kind}:{id}"))


def _phones(guide: Guide, owner: str, phones, fax: str | None, **link) -> list[dict]:
    out = []
    for i, p in enumerate(phones):
        row = {"id": _uid(guide, "phone", f"{owner}:{i}"), **link, "number": p.display, "type": "voice"}
        if p.label or p.hours:
            row["description"] = "　".join(x for x in (p.label, str(p.hours) if p.hours else None) if x)
        out.append(row)
    if fax:
        out.append({"id": _uid(guide, "phone", f"{owner}:fax"), **link, "number": phone.display(fax), "type": "fax"})
    return out


def _location(guide: Guide, owner: str, name: str, text: str, org_id: str) -> dict:
    """A location; its address as an HSDS address only where every part HSDS requires is known
    (city, state_province, postal_code): otherwise the address as written, in the description."""
    loc_id = _uid(guide, "location", owner)
    loc = {"id": loc_id, "location_type": "physical", "organization_id": org_id, "name": name}
    addr = address_of(guide, text)
    if addr.city and addr.prefecture and addr.postal_code:
        loc["addresses"] = [{"id": _uid(guide, "address", owner), "location_id": loc_id, "address_1": addr.rest,
                             "city": addr.city, "state_province": addr.prefecture, "postal_code": addr.postal_code,
                             "country": "JP", "address_type": "physical"}]
    else:
        loc["description"] = f"{labels.FIELD['address']}: {addr.full}"
    return loc


# RFC 5545 day codes for HSDS byday
_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
# The data's times are Japan's: HSDS wants the offset written
_JST = "+09:00"


def schedules(guide: Guide, owner: str, h: hours.OpeningHours, **link) -> list[dict]:
    """HSDS schedules: one per period (weekly, by day, opening and closing time), each described in
    full in Japanese (closed days, holidays and the note have no field of their own in HSDS); hours
    written as text only are one schedule with that description."""
    full = hours.format(h)
    periods = h.all_periods
    if not periods:
        return [{"id": _uid(guide, "schedule", f"{owner}:0"), **link, "description": full}]
    out = []
    for i, p in enumerate(periods):
        row = {"id": _uid(guide, "schedule", f"{owner}:{i}"), **link, "freq": "WEEKLY"}
        week = [_BYDAY[d] for d in hours.WEEK if d in p.days]
        if week:
            row["byday"] = ",".join(week)
        if p.opens:
            row["opens_at"], row["closes_at"] = p.opens + _JST, p.closes + _JST
        elif p.all_day:
            row["opens_at"], row["closes_at"] = "00:00" + _JST, "23:59" + _JST
        row["description"] = hours.period_text(p) + (f"（{full}）" if len(periods) > 1 else "")
        if len(periods) == 1:
            row["description"] = full
        out.append(row)
    return out


def _service_areas(guide: Guide, owner: str, place: m.Agency, service_id: str) -> list[dict]:
    names = [ar.name for ar in place.areas] + ([place.area] if place.area else [])
    return [{"id": _uid(guide, "service_area", f"{owner}:{i}"), "service_id": service_id, "name": n}
            for i, n in enumerate(names)]


def hsds(guide: Guide) -> dict[str, list[dict]]:
    """HSDS tables: each a list of objects valid against that table's HSDS 3.0 schema. No field is
    written empty: a fact the data lacks is left out."""
    tables: dict[str, list[dict]] = {t: [] for t in HSDS_TABLES}
    org_of: dict[str, str] = {}
    for a in guide.agencies:
        cat = guide.category(a.category)
        org = org_of[a.id] = _uid(guide, "organization", a.id)
        item = {"id": org, "name": a.name, "description": guide.category_label(cat.id)}
        if a.email:
            item["email"] = a.email
        tables["organizations"].append(item)
        service_id = _uid(guide, "service", a.id)
        service = {"id": service_id, "organization_id": org, "name": cat.name, "status": "active"}
        if cat.plain:
            service["description"] = cat.plain
        tables["services"].append(service)
        tables["phones"] += _phones(guide, a.id, a.phones, a.fax, organization_id=org)
        if a.address:
            tables["locations"].append(_location(guide, a.id, a.name, a.address, org))
        if a.hours:
            tables["schedules"] += schedules(guide, a.id, a.hours, service_id=service_id)
        tables["service_areas"] += _service_areas(guide, a.id, a, service_id)
    h = guide.hub
    hub_org = org_of[h.id] = _uid(guide, "organization", h.id)
    item = {"id": hub_org, "name": h.name, "description": h.role + (f"（{h.commission}）" if h.commission else "")}
    if h.short:
        item["alternate_name"] = h.short
    if h.email:
        item["email"] = h.email
    if guide.hub_operator:
        item["parent_organization_id"] = org_of[guide.hub_operator.id]
    tables["organizations"].append(item)
    if h.operator and not guide.hub_operator:
        # an operator the data names in words only: an organization of its own, the hub's parent
        item["parent_organization_id"] = _uid(guide, "organization", f"{h.id}:operator")
        tables["organizations"].append({"id": item["parent_organization_id"], "name": h.operator,
                                        "description": f"{h.name}を運営する法人"})
    tables["phones"] += _phones(guide, h.id, h.phones, h.fax, organization_id=hub_org)
    hub_services = []
    for p in guide.programs:
        service = {"id": _uid(guide, "service", f"program:{p.id}"), "name": p.name, "status": "active",
                   "description": p.summary}
        if p.short != p.name:
            service["alternate_name"] = p.short
        service["organization_id"] = _program_org(guide, p, org_of, tables)
        if service["organization_id"] == hub_org:
            hub_services.append(service["id"])
        tables["services"].append(service)
    if h.address:
        loc = _location(guide, h.id, h.name, h.address, hub_org)
        if h.access:  # how to come (no parking): HSDS's transportation
            loc["transportation"] = h.access
        tables["locations"].append(loc)
        if h.hours:
            tables["schedules"] += schedules(guide, h.id, h.hours, location_id=loc["id"])
    elif h.hours:
        for sid in hub_services:
            tables["schedules"] += schedules(guide, f"{h.id}:{sid}", h.hours, service_id=sid)
    return tables


def _program_org(guide: Guide, p: m.Program, org_of: dict[str, str], tables: dict[str, list[dict]]) -> str:
    """The organization that provides a programme: its one provider (the hub, or one agency); where
    several organizations or city sections provide it, the city, whose programme it is."""
    orgs = {org_of[a.id] for a in guide.program_agencies(p)}
    if any(pr.hub for pr in p.providers):
        orgs.add(org_of[guide.hub.id])
    if len(orgs) == 1 and not any(pr.offices for pr in p.providers):
        return orgs.pop()
    return _city_org(guide, tables)


def _city_org(guide: Guide, tables: dict[str, list[dict]]) -> str:
    """The city as an organization (once), for the programmes several organizations provide: named as
    site.yml names it, described by the section site.yml names as publisher and contact."""
    org = _uid(guide, "organization", "city")
    if not any(o["id"] == org for o in tables["organizations"]):
        office = guide.publisher
        section = "".join(x for x in (office.department, office.name) if x)
        item = {"id": org, "name": guide.site.city,
                "description": f"{guide.site.city}（事業の問い合わせ先: {section}）"}
        if office.email:
            item["email"] = office.email
        tables["organizations"].append(item)
        tables["phones"] += _phones(guide, "city", office.phones, None, organization_id=org)
    return org


# ----------------------------------------------------------------------------
# Writing the downloads into a built site
# ----------------------------------------------------------------------------


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_all(site_dir: Path, guide: Guide) -> list[Path]:
    """Write every download under site_dir and return their paths."""
    site_dir = Path(site_dir)
    files = {CSV_FILE: directory_csv(guide), JSON_FILE: _dump(guide_json(guide)).encode("utf-8"),
             SCHEMA_FILE: _dump(guide_schema()).encode("utf-8")}
    for table, rows in hsds(guide).items():
        files[f"{HSDS_FOLDER}/{table}.json"] = _dump(rows).encode("utf-8")
    written = []
    for rel, content in files.items():
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written
