"""Open data from the Guide: the directory as CSV, the whole Guide as JSON with its schema,
Open Referral HSDS 3.0, and schema.org JSON-LD for the agency and hub pages.

Pure functions of the Guide: no MkDocs, no file system except write_all(). Every value comes
from the data; where the data has no fact the field is empty (CSV) or left out (JSON, HSDS,
JSON-LD), never guessed.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

from pydantic import BaseModel, ConfigDict, create_model
from markupsafe import Markup

from . import model as m
from . import labels, phone
from .guide import Guide

# Where the downloads live in the built site (the open-data page links to these; the booklet and
# the offline copy are made by booklet.py and offline.py)
from .published import BOOKLET_PAGE, BOOKLET_PDF, CSV_FILE, HSDS_FOLDER, JSON_FILE, OFFLINE_ZIP, SCHEMA_FILE  # noqa: F401
from .published import OPENDATA as FOLDER

HSDS_TABLES = ("organizations", "services", "phones", "locations")

# ----------------------------------------------------------------------------
# Directory CSV: デジタル庁「自治体標準オープンデータセット」 column names where one fits,
# then columns of our own (分野・種別・事業)
# ----------------------------------------------------------------------------

CSV_COLUMNS = ["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "電話番号", "FAX番号", "住所",
               "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "備考", "分野", "種別", "事業"]

# Several phone numbers of one place share a cell, separated like this
JOIN = ";"


def _hours(hours: str | None, phones, *more: str | None) -> str:
    """The hours as the data writes them: the place's, each phone's own, then any more."""
    parts = [hours] + [f"{p.display}: {p.hours}" for p in phones if p.hours] + list(more)
    return "　".join(x for x in parts if x)


def directory_rows(guide: Guide) -> list[dict[str, str]]:
    """One row per agency, then the hub; "" where the data has no fact."""
    code, city = guide.site.lg_code or "", guide.site.city
    rows = []
    for a in guide.agencies:
        cat = guide.category(a.category)
        rows.append({
            "全国地方公共団体コード": code, "ID": a.id, "地方公共団体名": city, "名称": a.name, "名称_カナ": "",
            "電話番号": JOIN.join(p.display for p in a.phones), "FAX番号": a.fax_display or "",
            "住所": a.address or "", "利用可能曜日": "", "開始時間": "", "終了時間": "",
            "利用可能日時特記事項": _hours(a.hours, a.phones), "備考": a.note or "",
            "分野": JOIN.join(f.name for f in guide.category_fields(cat.id)), "種別": cat.name,
            "事業": JOIN.join(p.name for p in guide.agency_programs(a)),
        })
    h = guide.hub
    rows.append({
        "全国地方公共団体コード": code, "ID": h.id, "地方公共団体名": city, "名称": h.name, "名称_カナ": "",
        "電話番号": JOIN.join(p.display for p in h.phones), "FAX番号": h.fax_display or "",
        "住所": h.address or "", "利用可能曜日": "", "開始時間": "", "終了時間": "",
        "利用可能日時特記事項": _hours(h.hours, h.phones, f"{labels.FIELD['closed']}: {h.closed}" if h.closed else None),
        "備考": h.access or "", "分野": "", "種別": h.role,
        "事業": JOIN.join(p.name for p in guide.hub_programs()),
    })
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
            row["description"] = "　".join(x for x in (p.label, p.hours) if x)
        out.append(row)
    if fax:
        out.append({"id": _uid(guide, "phone", f"{owner}:fax"), **link, "number": phone.display(fax), "type": "fax"})
    return out


def _location(guide: Guide, owner: str, name: str, address: str, org_id: str) -> dict:
    loc_id = _uid(guide, "location", owner)
    city = guide.site.city if address.startswith(guide.site.city) else ""
    return {
        "id": loc_id, "location_type": "physical", "organization_id": org_id, "name": name,
        # HSDS requires these address parts; the data holds the address as one line, so the
        # parts it does not state are empty rather than guessed
        "addresses": [{"id": _uid(guide, "address", owner), "location_id": loc_id, "address_1": address,
                       "city": city, "state_province": "", "postal_code": "", "country": "JP",
                       "address_type": "physical"}],
    }


def hsds(guide: Guide) -> dict[str, list[dict]]:
    """HSDS tables: each a list of objects valid against that table's HSDS 3.0 schema."""
    tables: dict[str, list[dict]] = {t: [] for t in HSDS_TABLES}
    for a in guide.agencies:
        cat = guide.category(a.category)
        org = _uid(guide, "organization", a.id)
        item = {"id": org, "name": a.name, "description": guide.category_label(cat.id)}
        if a.email:
            item["email"] = a.email
        tables["organizations"].append(item)
        service = {"id": _uid(guide, "service", a.id), "organization_id": org, "name": cat.name, "status": "active"}
        if cat.plain:
            service["description"] = cat.plain
        tables["services"].append(service)
        tables["phones"] += _phones(guide, a.id, a.phones, a.fax, organization_id=org)
        if a.address:
            tables["locations"].append(_location(guide, a.id, a.name, a.address, org))
    h = guide.hub
    org = _uid(guide, "organization", h.id)
    item = {"id": org, "name": h.name, "description": h.role + (f"（{h.commission}）" if h.commission else "")}
    if h.short:
        item["alternate_name"] = h.short
    if h.email:
        item["email"] = h.email
    tables["organizations"].append(item)
    tables["phones"] += _phones(guide, h.id, h.phones, h.fax, organization_id=org)
    if h.address:
        tables["locations"].append(_location(guide, h.id, h.name, h.address, org))
    for p in guide.programs:
        service = {"id": _uid(guide, "service", f"program:{p.id}"), "name": p.name, "status": "active",
                   "description": p.summary}
        if p.short != p.name:
            service["alternate_name"] = p.short
        if any(pr.hub for pr in p.providers) and not guide.program_agencies(p):
            service["organization_id"] = org
        tables["services"].append(service)
    return tables


# ----------------------------------------------------------------------------
# schema.org JSON-LD for the agency and hub pages
# ----------------------------------------------------------------------------


def _contact_points(phones, fax: str | None, email: str | None) -> list[dict]:
    points = []
    for p in phones:
        point = {"@type": "ContactPoint", "telephone": p.display}
        if p.label:
            point["name"] = p.label
        if p.hours:
            point["description"] = p.hours
        points.append(point)
    if fax:
        points.append({"@type": "ContactPoint", "faxNumber": phone.display(fax)})
    if email:
        points.append({"@type": "ContactPoint", "email": email})
    return points


def _script(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> element: <, > and & escaped so that no
    text from the data can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _office_jsonld(place: m.Agency | m.Hub, **extra: str) -> dict:
    """A GovernmentOffice with what the data states of it: phones, FAX, email, address."""
    data = {"@type": "GovernmentOffice", "name": place.name, **extra, "telephone": place.phones[0].display}
    if place.fax_display:
        data["faxNumber"] = place.fax_display
    if place.email:
        data["email"] = place.email
    if place.address:
        data["address"] = place.address
    data["contactPoint"] = _contact_points(place.phones, place.fax, place.email)
    return data


def agency_jsonld_data(guide: Guide, agency: m.Agency) -> dict:
    return {"@context": "https://schema.org",
            **_office_jsonld(agency, description=guide.category_label(agency.category))}


def hub_jsonld_data(guide: Guide) -> dict:
    h = guide.hub
    office = _office_jsonld(h, **({"alternateName": h.short} if h.short else {}))
    data = {"@context": "https://schema.org", "@type": "GovernmentService", "name": h.name, "serviceType": h.role}
    if h.commission:
        data["description"] = h.commission
    data["provider"] = office
    if guide.hub_operator_name:
        data["serviceOperator"] = {"@type": "Organization", "name": guide.hub_operator_name}
    return data


def agency_jsonld(guide: Guide, agency: m.Agency) -> Markup:
    return _script(agency_jsonld_data(guide, agency))


def hub_jsonld(guide: Guide) -> Markup:
    return _script(hub_jsonld_data(guide))


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
