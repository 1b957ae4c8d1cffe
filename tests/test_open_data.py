"""Open data as its standards define it (issue 23): structured hours, the dataset's CSV columns, JSON-LD
checked against the schema.org vocabulary, HSDS complete. Each output is read as its user reads it: the
CSV through the csv module from its bytes (BOM, CRLF), the JSON-LD from the page's script elements.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, TINY
from tsunagu.outputs import export
from tsunagu.data import hours, labels
from tsunagu.site import jsonld, published, shape
from tsunagu import load_guide
from tsunagu.data.errors import DataErrors

FIXTURES = Path(__file__).parent / "fixtures"
SECOND = FIXTURES / "second_city"
VOCABULARY = FIXTURES / "schemaorg" / "vocabulary.jsonld"
COLUMNS = FIXTURES / "opendata" / "public_facilities_columns.txt"
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
SCHEMA = "https://schema.org/"
BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
DAY = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
       "sat": "Saturday", "sun": "Sunday", "holidays": "PublicHolidays"}


@pytest.fixture(scope="module")
def kamakura():
    return load_guide(DATA)


@pytest.fixture(scope="module")
def second():
    return load_guide(SECOND)


def csv_of(guide) -> list[dict[str, str]]:
    """The CSV as a spreadsheet reads it: bytes with a BOM, UTF-8, CRLF rows."""
    raw = export.directory_csv(guide)
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def places(guide):
    return [*guide.agencies, guide.hub]


# ----------------------------------------------------------------------------
# Hours: the shape, the words, the check's hint
# ----------------------------------------------------------------------------


def test_hours_print_in_japanese_with_the_labels_words():
    h = hours.OpeningHours(days=["mon", "tue", "wed", "thu", "fri"], opens="08:30", closes="17:15",
                           closed=["holidays", "new-year"])
    assert str(h) == "月〜金 8:30〜17:15（祝日・年末年始を除く）"
    split = hours.OpeningHours(periods=[{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "17:15", "closes": "08:30"},
                                        {"days": ["sat", "sun", "holidays"], "all_day": True}])
    assert str(split) == f"月〜金 17:15〜{labels.NEXT_DAY}8:30、土・日・祝日 {labels.ALL_DAY}"
    assert str(hours.OpeningHours(note="平日 8:30-17:15")) == "平日 8:30-17:15"  # free text stays as written


def test_common_free_text_forms_are_read():
    assert hours.parse("月曜日〜金曜日 8時30分〜17時15分（祝日・年末年始を除く）") == {
        "days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:30", "closes": "17:15", "closed": ["holidays", "new-year"]}
    assert hours.parse("平日 ８：３０～１７：１５")["opens"] == "08:30"
    assert hours.parse("午前8時30分～午後5時15分") == {"opens": "08:30", "closes": "17:15"}
    assert hours.parse("要予約") is None


def test_check_names_free_text_hours_that_could_be_structured(kamakura, second):
    tiny = load_guide(TINY)
    lines = [h.line() for h in shape.holes(tiny) if "受付時間" in h.why]
    free = [a for a in tiny.agencies if a.hours and not a.hours.structured]
    assert free and len(lines) == len(free)
    assert all("opens: \"09:00\"" in line and line.startswith("agencies.yml: 注意:") for line in lines)
    # Kamakura's and the second city's hours are all structured: nothing to say
    assert not [h for g in (kamakura, second) for h in shape.holes(g) if "受付時間" in h.why]


def _copy(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(SECOND, data)
    text = (data / "agencies.yml").read_text(encoding="utf-8")
    assert old in text
    (data / "agencies.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize("old, new, said", [
    ('opens: "08:30"', 'opens: "8時半"', "時刻は 08:30 の形"),
    ('opens: "08:30"\n      closes: "17:15"', 'opens: "08:30"', "opens と closes は両方書いてください"),
    ("days: [mon, tue, wed, thu, fri]\n      opens", "days: [mon, tue, wed, thu, fry]\n      opens", "次のどれかにしてください"),
])
def test_a_slip_in_structured_hours_is_one_japanese_error_at_its_line(tmp_path, old, new, said):
    with pytest.raises(DataErrors) as caught:
        load_guide(_copy(tmp_path, old, new))
    report = caught.value.report()
    assert said in report and "agencies.yml:" in report and "Traceback" not in report


# ----------------------------------------------------------------------------
# CSV: the dataset's columns, each filled where the data has the fact
# ----------------------------------------------------------------------------


def test_the_csv_has_the_datasets_columns_in_its_order_then_ours(kamakura):
    columns = [c for c in COLUMNS.read_text(encoding="utf-8").splitlines() if c and not c.startswith("#")]
    rows = csv_of(kamakura)
    assert list(rows[0])[: len(columns)] == columns
    assert list(rows[0])[len(columns):] == published.OWN_COLUMNS


def test_each_column_is_filled_where_kamakuras_data_has_the_fact(kamakura):
    rows = {r["ID"]: r for r in csv_of(kamakura)}
    site, h = kamakura.site, kamakura.hub
    assert site.lg_code == "142042" and site.prefecture == "神奈川県"
    for row in rows.values():
        assert row["全国地方公共団体コード"] == "142042" and row["地方公共団体名"] == "神奈川県鎌倉市"
        # what the data never states stays empty
        for column in ("名称_カナ", "名称_英字", "町字ID", "緯度", "経度", "内線番号", "連絡先FormURL", "法人番号",
                       "バリアフリー情報", "画像", "画像_ライセンス", "URL"):
            assert row[column] == "", column
    hub = rows[h.id]
    assert hub["所在地_連結表記"].startswith("神奈川県鎌倉市常盤58番地3号")
    assert not re.search("[０-９]", hub["所在地_連結表記"]), "digits are half-width"
    assert (hub["所在地_都道府県"], hub["所在地_市区町村"], hub["所在地_全国地方公共団体コード"]) == ("神奈川県", "鎌倉市", "142042")
    assert hub["連絡先メールアドレス"] == h.email == "libero@kamakura-shakyo.jp"
    assert hub["名称_通称"] == h.short and hub["団体名"] == kamakura.hub_operator_name
    assert hub["FAX番号"] == h.fax_display and hub["電話番号"] == h.phones[0].display
    assert (hub["利用可能曜日"], hub["開始時間"], hub["終了時間"]) == ("月,火,水,木,金", "08:30", "17:15")
    assert hub["利用可能日時特記事項"] == "祝日・国民の休日・年末年始（12月29日〜1月3日）を除く"
    assert hub["郵便番号"] == ""  # the booklet gives none
    # a place with two phones: each number with its label, in one cell
    incl = next(a for a in kamakura.agencies if len(a.phones) > 1)
    assert rows[incl.id]["連絡先備考（その他、SNSなど）"] == "; ".join(f"{p.label}: {p.display}" for p in incl.phones)
    # agencies without address, email or hours: those columns empty
    for a in kamakura.agencies:
        row = rows[a.id]
        assert bool(row["所在地_連結表記"]) == bool(a.address) and row["連絡先メールアドレス"] == (a.email or "")
        assert bool(row["利用可能曜日"]) == bool(a.hours and a.hours.structured)


def test_the_second_city_carries_areas_and_phone_hours_into_the_csv(second):
    rows = {r["ID"]: r for r in csv_of(second)}
    for a in second.agencies:
        assert rows[a.id]["担当する町名"] == export.JOIN.join(ar.name for ar in a.areas)
        for p in a.phones:
            if p.hours:
                assert f"{p.label}: {p.display}（{p.hours}）" in rows[a.id]["連絡先備考（その他、SNSなど）"]
    assert "青葉町" in rows["hokatsu-higashi"]["担当する町名"]
    window = rows["sogo-honcho"]
    assert (window["利用可能曜日"], window["開始時間"], window["終了時間"]) == ("月,火,水,木,金", "08:30", "17:15")
    assert window["利用可能日時特記事項"] == "祝日・年末年始を除く　受付は終了の15分前まで"
    assert window["所在地_連結表記"] == "架空市中央一丁目1番1号"  # no prefecture in the data: none added


# ----------------------------------------------------------------------------
# Hours: the same in the CSV, HSDS and JSON-LD as in the data
# ----------------------------------------------------------------------------


def _jsonld_nodes(data: dict) -> list[dict]:
    return data.get("@graph", [data])


def _spec_of(h) -> list[tuple]:
    """What the data says, as (days, opens, closes) per period."""
    out = []
    for p in h.all_periods:
        opens, closes = ("00:00", "23:59") if p.all_day else (p.opens, p.closes)
        out.append((sorted(p.days), opens, closes))
    return out


def _jsonld_hours(specs: list[dict]) -> list[tuple]:
    inverse = {v: k for k, v in DAY.items()}
    return [(sorted(inverse[d.removeprefix(SCHEMA)] for d in s["dayOfWeek"]), s["opens"], s["closes"])
            for s in specs if not (s["opens"] == s["closes"] == "00:00")]


@pytest.mark.parametrize("city", ["kamakura", "second"])
def test_every_places_hours_are_equal_in_csv_hsds_and_jsonld(city, request):
    guide = request.getfixturevalue(city)
    rows = {r["ID"]: r for r in csv_of(guide)}
    tables = export.hsds(guide)
    structured = [x for x in places(guide) if x.hours and x.hours.structured]
    assert structured, "each city has structured hours to carry"
    for place in structured:
        want = _spec_of(place.hours)
        # CSV: one set of times for every period, or the columns left to 特記事項
        row = rows[place.id]
        if len({(o, c) for _, o, c in want}) == 1:
            days = [d for p in place.hours.all_periods for d in p.days]
            assert set(row["利用可能曜日"].split(",")) == {labels.WEEKDAY[d][0] if d != "holidays" else labels.WEEKDAY[d] for d in days}
            assert (row["開始時間"], row["終了時間"]) == want[0][1:] or want[0][1:] == ("00:00", "23:59")
        # HSDS: a weekly schedule per period
        owner = export._uid(guide, "service", place.id) if place is not guide.hub else None
        mine = [s for s in tables["schedules"] if s.get("service_id") == owner or (
            owner is None and s.get("location_id") == export._uid(guide, "location", place.id))]
        assert [(sorted(k for k, v in BYDAY.items() if v in s["byday"].split(",")), s["opens_at"][:5], s["closes_at"][:5])
                for s in mine] == [([d for d in days if d != "holidays"], o, c) for days, o, c in want]
        assert all(s["opens_at"].endswith("+09:00") for s in mine)
        # JSON-LD: on the place (an office with an address) or on its phone's ContactPoint
        ld = _jsonld_nodes(jsonld.hub_jsonld_data(guide) if place is guide.hub else jsonld.agency_jsonld_data(guide, place))[0]
        specs = ld.get("openingHoursSpecification") or ld["contactPoint"][0]["hoursAvailable"]
        assert _jsonld_hours(specs) == want
        closed = [s for s in specs if s["opens"] == s["closes"] == "00:00"]
        assert bool(closed) == ("holidays" in place.hours.closed)


def test_a_phones_own_hours_reach_every_export(second):
    agency = next(a for a in second.agencies if any(p.hours for p in a.phones))
    night = next(p for p in agency.phones if p.hours)
    ld = jsonld.agency_jsonld_data(second, agency)
    point = next(c for c in ld["contactPoint"] if c.get("contactType") == night.label)
    assert point["telephone"] == night.number and _jsonld_hours(point["hoursAvailable"]) == _spec_of(night.hours)
    phones = [p for p in export.hsds(second)["phones"] if p["number"] == night.display]
    assert phones and str(night.hours) in phones[0]["description"]


# ----------------------------------------------------------------------------
# JSON-LD: as a search engine reads it, and against the schema.org vocabulary
# ----------------------------------------------------------------------------


class Vocabulary:
    def __init__(self, path: Path):
        graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
        self.nodes = {n["@id"].removeprefix("schema:"): n for n in graph}

    @staticmethod
    def _ids(node: dict, key: str) -> list[str]:
        value = node.get(key, [])
        return [x["@id"].removeprefix("schema:") for x in (value if isinstance(value, list) else [value])]

    def ancestors(self, cls: str) -> set[str]:
        seen, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c not in seen and c in self.nodes:
                seen.add(c)
                todo += self._ids(self.nodes[c], "rdfs:subClassOf")
        return seen

    def is_class(self, name: str) -> bool:
        types = self.nodes.get(name, {}).get("@type", [])
        return "rdfs:Class" in (types if isinstance(types, list) else [types])

    def is_property(self, name: str) -> bool:
        return self.nodes.get(name, {}).get("@type") == "rdf:Property"

    def domains(self, prop: str) -> set[str]:
        return set(self._ids(self.nodes[prop], "schema:domainIncludes"))

    def ranges(self, prop: str) -> set[str]:
        return set(self._ids(self.nodes[prop], "schema:rangeIncludes"))

    def member_of(self, name: str) -> set[str]:
        """The enumeration an enumeration member (schema:Monday) belongs to."""
        types = self.nodes.get(name, {}).get("@type", [])
        return {t.removeprefix("schema:") for t in (types if isinstance(types, list) else [types])}


def vocabulary_errors(node: dict, vocab: Vocabulary, where: str = "") -> list[str]:
    """Every way a node breaks the vocabulary: unknown type, property outside its domain, value outside its range."""
    errors = []
    kind = node.get("@type")
    if kind is None:
        return [] if set(node) <= {"@id", "url", "name"} else [f"{where}: a node without @type: {sorted(node)}"]
    if not vocab.is_class(kind):
        return [f"{where}: {kind} is not a schema.org type"]
    lineage = vocab.ancestors(kind)
    for prop, value in node.items():
        if prop.startswith("@"):
            continue
        if not vocab.is_property(prop):
            errors.append(f"{where}.{prop}: not a schema.org property")
            continue
        if not vocab.domains(prop) & lineage:
            errors.append(f"{where}.{prop}: not a property of {kind}")
        ranges = vocab.ranges(prop)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, dict) and "@type" in v:
                if not vocab.ancestors(v["@type"]) & ranges:
                    errors.append(f"{where}.{prop}: {v['@type']} is outside its range {sorted(ranges)}")
                errors += vocabulary_errors(v, vocab, f"{where}.{prop}")
            elif isinstance(v, dict):  # a reference by @id: the range must hold a type, not only text
                if not any(vocab.is_class(r) and "DataType" not in vocab.member_of(r) for r in ranges):
                    errors.append(f"{where}.{prop}: a reference where the range is {sorted(ranges)}")
            elif isinstance(v, str) and v.startswith(SCHEMA):  # an enumeration member
                if not vocab.member_of(v.removeprefix(SCHEMA)) & ranges:
                    errors.append(f"{where}.{prop}: {v} is not a member of {sorted(ranges)}")
            elif not ranges & {"Text", "URL", "Time", "Date", "DateTime", "Number", "Boolean"}:
                errors.append(f"{where}.{prop}: text where the range is {sorted(ranges)}")
    return errors


def page_jsonld(site: Path, url: str) -> list[dict]:
    return [json.loads(m) for m in JSONLD.findall((site / url / "index.html").read_text(encoding="utf-8"))]


def _all_jsonld(guide) -> dict[str, dict]:
    out = {jsonld.page_path(guide, "agency", a.id): jsonld.agency_jsonld_data(guide, a) for a in guide.agencies}
    out[jsonld.page_path(guide, "hub", guide.hub.id)] = jsonld.hub_jsonld_data(guide)
    return out


@pytest.mark.parametrize("city", ["kamakura", "second"])
def test_jsonld_keeps_to_the_schema_org_vocabulary(city, request):
    vocab = Vocabulary(VOCABULARY)
    guide = request.getfixturevalue(city)
    errors = [e for url, data in _all_jsonld(guide).items()
              for i, node in enumerate(_jsonld_nodes(data)) for e in vocabulary_errors(node, vocab, f"{url}[{i}]")]
    assert errors == []


def test_the_vocabulary_check_fails_where_a_search_engine_would():
    vocab = Vocabulary(VOCABULARY)
    assert vocabulary_errors({"@type": "GovernmentService", "telephone": "+81312345678"}, vocab)  # not a Service's
    assert vocabulary_errors({"@type": "Organization", "address": {"@type": "ContactPoint"}}, vocab)
    assert vocabulary_errors({"@type": "Organization", "openingHoursSpecification": []}, vocab)
    assert vocabulary_errors({"@type": "OpeningHoursSpecification", "dayOfWeek": SCHEMA + "PostalAddress"}, vocab)
    assert vocabulary_errors({"@type": "GovernmentOfice"}, vocab)


@pytest.mark.parametrize("city", ["kamakura", "second"])
def test_jsonld_gives_what_search_engines_ask_for(city, request):
    guide = request.getfixturevalue(city)
    pages = _all_jsonld(guide)
    ids = {}
    for url, data in pages.items():
        for node in _jsonld_nodes(data):
            if "@id" in node:
                ids.setdefault(url, set()).add(node["@id"])
    for url, data in pages.items():
        for node in _jsonld_nodes(data):
            if node["@type"] in ("GovernmentOffice",):  # a LocalBusiness: a place with a postal address
                assert node["address"]["@type"] == "PostalAddress" and node["address"]["addressCountry"] == "JP"
            if "telephone" in node:
                assert re.fullmatch(r"\+\d{9,15}|\d{3}", node["telephone"])
            for point in node.get("contactPoint", []):
                assert "telephone" in point and re.fullmatch(r"\+\d{9,15}", point["telephone"])
            if node["@type"] == "GovernmentService":
                assert node["provider"]["@id"] in ids[url]
                assert node["name"] in {p.name for p in guide.programs}
                assert "serviceType" not in node or node["serviceType"] != guide.hub_operator_name
            assert "areaServed" in node
            # every reference to another page names a node that page defines
            for key in ("parentOrganization", "subOrganization"):
                if key in node and "@id" in node[key]:
                    target = node[key]["@id"].split("#")[0]
                    resolved = str(Path(url, target)).replace("\\", "/")
                    resolved = _normal(url + target)
                    assert "#" + node[key]["@id"].split("#")[1] in ids[resolved]


def _normal(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts) + "/"


def test_the_hub_and_its_operator_agency_name_each_other_by_id(second):
    op = second.hub_operator
    assert op is not None
    hub = _jsonld_nodes(jsonld.hub_jsonld_data(second))[0]
    agency = jsonld.agency_jsonld_data(second, op)
    assert hub["parentOrganization"]["@id"] == f"../agencies/{op.id}/#organization"
    assert agency["subOrganization"]["@id"] == f"../../{second.hub.id}/#organization"


def test_the_second_citys_areas_are_areaserved(second):
    for a in second.agencies:
        served = jsonld.agency_jsonld_data(second, a)["areaServed"]
        if a.areas:
            assert [p["name"] for p in served] == [ar.name for ar in a.areas]
        else:
            assert served == {"@type": "City", "name": second.site.city}


BASE = "https://example.org/guide/"


@pytest.mark.parametrize("city", ["kamakura", "second"])
def test_with_the_sites_url_every_id_is_absolute_and_names_one_node_of_the_site(city, request):
    """A relative "#organization" is resolved against its page only by a reader that keeps the page's
    address; read apart from it (a crawler's merged graph) every page's would be one node. With the
    site's URL known, @id and url are absolute, the same addresses the relative forms resolve to."""
    from urllib.parse import urljoin
    guide = request.getfixturevalue(city)
    relative = _all_jsonld(guide)
    absolute = {url: jsonld.agency_jsonld_data(guide, a, BASE) for a in guide.agencies
                for url in [jsonld.page_path(guide, "agency", a.id)]}
    absolute[jsonld.page_path(guide, "hub", guide.hub.id)] = jsonld.hub_jsonld_data(guide, BASE)
    defined = {}
    for url, data in absolute.items():
        for node, rel in zip(_jsonld_nodes(data), _jsonld_nodes(relative[url])):
            assert node["@id"] not in defined, node["@id"]
            defined[node["@id"]] = url
            assert node["@id"] == urljoin(BASE + url, rel["@id"]) and node["url"] == urljoin(BASE + url, rel["url"])
    assert defined and all(i.startswith(BASE) for i in defined)
    for url, data in absolute.items():
        for node in _jsonld_nodes(data):
            for key in ("provider", "parentOrganization", "subOrganization"):
                if "@id" in node.get(key, {}):
                    assert node[key]["@id"] in defined, (url, key)


def test_the_sites_url_reaches_the_pages_jsonld_through_the_build(second):
    from mkdocs.utils.meta import get_data

    from conftest import ROOT
    from tsunagu.build.prepare import prepare
    docs = {p.relative_to(ROOT / "docs").as_posix(): get_data(p.read_text(encoding="utf-8"))[0]
            for p in sorted((ROOT / "docs").rglob("*.md"))}
    generated = prepare(SECOND, docs, site_url=BASE).generated
    agency = second.agencies[0]
    assert [json.loads(x) for x in JSONLD.findall(generated[f"agencies/{agency.id}.md"])] == [
        jsonld.agency_jsonld_data(second, agency, BASE)]
    assert [json.loads(x) for x in JSONLD.findall(generated[f"{second.hub.id}.md"])] == [
        jsonld.hub_jsonld_data(second, BASE)]


def test_the_built_pages_carry_the_same_jsonld(kamakura_site, kamakura):
    """Read as a search engine reads a page: the script element, parsed as JSON."""
    for url, data in _all_jsonld(kamakura).items():
        assert page_jsonld(kamakura_site, url.rstrip("/")) == [data]


# ----------------------------------------------------------------------------
# HSDS: complete, linked, without empty strings
# ----------------------------------------------------------------------------


def _empty(value, where="") -> list[str]:
    if value == "" or value == [] or value == {}:
        return [where]
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in _empty(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in _empty(v, f"{where}[{i}]")]
    return []


@pytest.mark.parametrize("city", ["kamakura", "second"])
def test_hsds_has_no_empty_values_and_every_service_its_organization(city, request):
    guide = request.getfixturevalue(city)
    tables = export.hsds(guide)
    assert [w for t, rows in tables.items() for i, row in enumerate(rows) for w in _empty(row, f"{t}[{i}]")] == []
    orgs = {o["id"] for o in tables["organizations"]}
    services = {s["id"] for s in tables["services"]}
    locations = {loc["id"] for loc in tables["locations"]}
    assert all(s.get("organization_id") in orgs for s in tables["services"])
    assert {p.name for p in guide.programs} <= {s["name"] for s in tables["services"]}
    for s in tables["schedules"]:
        assert s.get("service_id") in services or s.get("location_id") in locations
    assert all(a["service_id"] in services for a in tables["service_areas"])
    for o in tables["organizations"]:
        assert o.get("parent_organization_id", next(iter(orgs))) in orgs


def test_hsds_service_areas_are_the_second_citys_areas(second):
    areas = export.hsds(second)["service_areas"]
    for a in second.agencies:
        mine = [x["name"] for x in areas if x["service_id"] == export._uid(second, "service", a.id)]
        assert mine == [ar.name for ar in a.areas] + ([a.area] if a.area else [])


def test_hsds_carries_the_hubs_operator_and_access_note_in_their_fields(kamakura, second):
    """The operator as the hub's parent organization (an organization of its own where the data names
    it in words, the agency's where {agency: id}); the note on how to come as the location's transportation."""
    for guide in (kamakura, second):
        tables = export.hsds(guide)
        orgs = {o["id"]: o for o in tables["organizations"]}
        hub = next(o for o in tables["organizations"] if o["name"] == guide.hub.name)
        assert orgs[hub["parent_organization_id"]]["name"] == guide.hub_operator_name
        if guide.hub.address and guide.hub.access:
            loc = next(loc for loc in tables["locations"] if loc["organization_id"] == hub["id"])
            assert loc["transportation"] == guide.hub.access
    assert kamakura.hub_operator is None and kamakura.hub_operator_name == "社会福祉法人鎌倉市社会福祉協議会"
    assert kamakura.hub.access and kamakura.hub.address

