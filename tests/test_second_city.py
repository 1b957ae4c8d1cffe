"""Any city by its data alone: a second fictional city whose structure differs from Kamakura's in
every way the model allows (a cross-field window, a category in two fields, a meeting that needs no
consent, hours per phone, areas, other numbers of fields, programmes and meetings, a provider without
a service, an outcome naming one phone of an agency, the hub's operator named as an agency), the
starter from `init`, and the checks that protect residents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, ROOT, built_site, mkdocs_build
from htmlread import page_of, read
from test_starter import problems
from tsunagu import DataErrors, load_guide
from tsunagu.site import jsonld, published
from tsunagu.cli import main as cli_main

SECOND = ROOT / "tests" / "fixtures" / "second_city"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def second_site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, SECOND, "second")


def _edited(tmp_path: Path, *edits: tuple[str, str, str]) -> Path:
    """A copy of the second city with (file, old, new) text replacements, each of which must apply."""
    data = tmp_path / "data"
    shutil.copytree(SECOND, data)
    for name, old, new in edits:
        text = (data / name).read_text(encoding="utf-8")
        assert old in text, (name, old)
        (data / name).write_text(text.replace(old, new), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def second() -> object:
    return load_guide(SECOND)


# ----------------------------------------------------------------------------
# The fixture itself differs from Kamakura where the model allows it
# ----------------------------------------------------------------------------


def test_the_second_city_uses_every_freedom(second):
    kamakura = load_guide(DATA)
    shape = lambda g: (len(g.fields), len(g.programs), len(g.meetings))  # noqa: E731
    assert all(a != b for a, b in zip(shape(second), shape(kamakura))), (shape(second), shape(kamakura))
    assert second.cross_field_categories(), "a category in no single field"
    assert any(len(c.field_ids) > 1 for c in second.categories), "a category in several fields"
    assert any(mt.consent == "not_required" for mt in second.meetings)
    assert any(p.hours for a in second.agencies for p in a.phones), "hours on a phone"
    assert second.area_categories(), "agencies with areas"
    assert second.consultation_program is not None and second.consultation_program.role == "consultation"
    assert any(not pr.service and not pr.field and not pr.hub for p in second.programs for pr in p.providers), \
        "a provider with neither service nor field"
    assert any(c.phone for f in second.flows for o in f.outcomes for c in o.contacts), "an outcome naming one phone"
    assert second.hub_operator is not None, "the hub's operator named as an agency"


# ----------------------------------------------------------------------------
# Its site shows each freedom as it is, and nothing of Kamakura
# ----------------------------------------------------------------------------


def test_cross_field_and_multi_field_categories_are_shown_as_they_are(second, second_site):
    directory = page_of(second_site, "agencies")
    headings = [e.text.strip() for e in directory.elements if e.tag in ("h2", "h3")]
    cross = second.cross_field_categories()[0]
    assert "分野をこえた相談先" in headings
    captions = [e.text.strip() for e in directory.elements if e.tag == "caption"]
    assert captions.count(cross.name) == 1
    several = next(c for c in second.categories if len(c.field_ids) > 1)
    fields = "・".join(f.name for f in second.category_fields(several.id))
    assert [c for c in captions if c.startswith(several.name)] == [f"{several.name}（{fields}）"]  # once, its fields named
    for agency in second.agencies_in(cross.id):
        tagline = next(e.text for e in page_of(second_site, f"agencies/{agency.id}").elements
                       if e.attrs.get("class") == "ts-tagline")
        assert tagline.strip() == cross.name  # no field is claimed for a cross-field window
        assert not any(f.name in tagline for f in second.fields)


def test_a_meeting_that_needs_no_consent_says_so(second, second_site):
    meeting = next(mt for mt in second.meetings if mt.consent == "not_required")
    text = page_of(second_site, f"meetings/{meeting.id}").main_text
    assert "同意がなくても開ける" in text
    assert "同意が得られていない" not in text


def test_hours_belong_to_the_phone_that_has_them(second, second_site):
    agency = next(a for a in second.agencies if any(p.hours for p in a.phones))
    night = next(p for p in agency.phones if p.hours)
    day = next(p for p in agency.phones if not p.hours)
    page = page_of(second_site, f"agencies/{agency.id}")
    items = [e.text for e in page.elements if e.attrs.get("class") == "ts-tel-item"]
    night_item = next(t for t in items if night.display in t)
    day_item = next(t for t in items if day.display in t)
    assert str(night.hours) in night_item and str(night.hours) not in day_item
    assert str(agency.hours) not in night_item


def test_phone_hours_and_areas_reach_the_built_open_data_and_jsonld(second, second_site):
    """The built site's files, opened as their users open them: the CSV from its bytes, the HSDS
    files as JSON, the JSON-LD from each agency page's script element."""
    import csv
    import io
    import json
    import re
    raw = (second_site / published.CSV_FILE).read_bytes()
    rows = {r["ID"]: r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))}
    hsds = {t: json.loads((second_site / published.HSDS_FOLDER / f"{t}.json").read_text(encoding="utf-8"))
            for t in published.HSDS_TABLES}
    agency = next(a for a in second.agencies if any(p.hours for p in a.phones))
    night = next(p for p in agency.phones if p.hours)
    assert night.hours.structured and agency.hours.structured
    assert f"{night.label}: {night.display}（{night.hours}）" in rows[agency.id]["連絡先備考（その他、SNSなど）"]
    assert (rows[agency.id]["開始時間"], rows[agency.id]["終了時間"]) == (agency.hours.opens, agency.hours.closes)
    assert any(str(night.hours) in p.get("description", "") for p in hsds["phones"] if p["number"] == night.display)
    assert [s["byday"] for s in hsds["schedules"]] == ["MO,TU,WE,TH,FR"]
    for a in second.agencies:
        html = (second_site / "agencies" / a.id / "index.html").read_text(encoding="utf-8")
        (ld,) = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)]
        assert ld == jsonld.agency_jsonld_data(second, a)
        if a.areas:
            assert [x["name"] for x in ld["areaServed"]] == [ar.name for ar in a.areas]
            assert rows[a.id]["担当する町名"] == ";".join(ar.name for ar in a.areas)
            assert {x["name"] for x in hsds["service_areas"]} >= {ar.name for ar in a.areas}
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                              (second_site / "agencies" / agency.id / "index.html").read_text(encoding="utf-8"), re.DOTALL)[1])
    point = next(c for c in ld["contactPoint"] if c.get("contactType") == night.label)
    assert len(point["hoursAvailable"]) == len(night.hours.all_periods)


def test_the_consultation_programme_is_found_by_role_not_position(tmp_path):
    unnamed = ("programs.yml", "    role: consultation\n", "")
    assert load_guide(_edited(tmp_path / "a", unnamed)).consultation_program is None
    moved = _edited(tmp_path / "b", unnamed, ("programs.yml", "  - id: sanka\n", "  - id: sanka\n    role: consultation\n"))
    assert load_guide(moved).consultation_program.id == "sanka"


def test_nothing_of_kamakura_reaches_the_second_city_site(second_site):
    kamakura = load_guide(DATA)
    words = {kamakura.site.city, kamakura.hub.name, kamakura.hub.short, "Libero", "鎌倉", "0467-", "かまくら"}
    words |= {a.name for a in kamakura.agencies} | {o.name for o in kamakura.offices}
    words = {w for w in words if w and len(w) > 2}
    found = []
    for path in second_site.rglob("*"):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary (gzip, zip, pdf): their text sources are checked here
        found += [(path.relative_to(second_site).as_posix(), w) for w in words if w in text]
    assert found == []
    assert (second_site / "search" / "index.json").exists()  # the search index was among the files read


def test_the_second_city_site_has_no_empty_section_doubled_word_or_bracket_first_sentence(second_site):
    """Issue 21's "done when": the second city reads like a real guide, nothing empty (the starter's scan)."""
    assert problems(second_site) == {}


# ----------------------------------------------------------------------------
# お住まいの町名から探す
# ----------------------------------------------------------------------------


def test_the_area_page_lists_every_area_once_with_its_door(second, second_site):
    category = second.area_categories()[0]
    page = page_of(second_site, f"areas/{category.id}")
    rows = [e for e in page.elements if e.tag == "tr" and "data-ts-area" in e.attrs]
    areas = [(ar.name, a) for a in second.agencies_in(category.id) for ar in a.areas]
    assert len(rows) == len(areas)
    for name, agency in areas:
        row = [r for r in rows if r.attrs["data-ts-area"].split(" ")[0] == name]
        assert len(row) == 1, name
        assert agency.name in row[0].text and agency.phones[0].display in row[0].text
    assert {a.phones[0].tel for _, a in areas} <= set(page.tel_links())
    # あいうえお order by reading
    readings = [r.attrs["data-ts-area"].split(" ")[1] for r in rows]
    assert readings == sorted(readings)
    # Without JavaScript the filter box stays hidden and every row is shown
    box = next(e for e in page.elements if "data-ts-area-filter" in e.attrs)
    assert "hidden" in box.attrs
    assert not any("hidden" in r.attrs for r in rows)


def test_outcomes_and_directory_link_the_area_page(second, second_site):
    category = second.area_categories()[0]
    target = f"areas/{category.id}/"
    assert any(target in e.attrs["href"] for e in page_of(second_site, "agencies").links())
    outcome = next(o for f in second.flows for o in f.outcomes if category.id in o.contacts)
    flow = next(f for f in second.flows if outcome in f.outcomes)
    from tsunagu.data.flows import flow_pages
    url = next(fp.url for fp in flow_pages(flow) if fp.node is outcome)
    assert any(target.split("/")[1] in e.attrs["href"] and "areas/" in e.attrs["href"]
               for e in page_of(second_site, url).links())


@pytest.mark.browser
def test_the_area_filter_narrows_the_list_with_javascript(second, second_site, browser):
    category = second.area_categories()[0]
    area = sorted((ar for a in second.agencies_in(category.id) for ar in a.areas), key=lambda x: x.name)[0]
    page = browser.new_page()
    try:
        page.goto((second_site / "areas" / category.id / "index.html").as_uri())
        box = page.locator("#ts-area-q")
        assert box.is_visible()
        total = page.locator("tr[data-ts-area]:visible").count()
        box.fill(area.reading)  # the reading, in hiragana, finds the kanji name
        page.wait_for_timeout(400)
        visible = page.locator("tr[data-ts-area]:visible")
        assert 1 <= visible.count() < total
        assert area.name in visible.first.inner_text()
        assert "件中" in page.locator("#ts-area-count").inner_text()
    finally:
        page.close()


# ----------------------------------------------------------------------------
# Checks that protect residents, and errors that help
# ----------------------------------------------------------------------------


def _errors(data: Path) -> list:
    with pytest.raises(DataErrors) as info:
        load_guide(data)
    return info.value.errors


def test_an_area_listed_twice_in_one_category_is_an_error(tmp_path):
    data = _edited(tmp_path, ("agencies.yml", "      - name: 西町\n", "      - name: 青葉町\n"))
    path = data / "agencies.yml"
    errors = _errors(data)
    assert [e.key for e in errors] == ["duplicate_area"]
    assert "青葉町" in errors[0].message
    lines = path.read_text(encoding="utf-8").split("\n")
    second_mention = [i for i, line in enumerate(lines) if line == "      - name: 青葉町"][1]
    assert errors[0].line == second_mention + 1


def test_an_outcome_with_no_number_to_call_is_an_error(tmp_path):
    errors = _errors(_edited(tmp_path, ("flows/soudan.yml", "    contacts: [hokatsu]\n", "")))
    assert [e.key for e in errors] == ["no_phone"]
    assert errors[0].file.endswith("flows/soudan.yml") and errors[0].line


def test_one_indentation_slip_gives_one_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "agencies.yml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - id: ", text.index("\nagencies:"))
    path.write_text(text[:first] + "   " + text[first + 2:], encoding="utf-8")
    errors = _errors(data)
    assert [e.key for e in errors] == ["yaml_syntax"], [e.format() for e in errors]


def test_reference_errors_come_with_per_file_errors(tmp_path):
    # programs.yml has an error of its own and, in the same programme, a reference to nothing
    errors = _errors(_edited(tmp_path, ("programs.yml", "    number: 3\n", "    number: three\n"),
                             ("programs.yml", "agencies: [shakyo-honbu]", "agencies: [nowhere-a]"),
                             ("meetings.yml", "    in_charge: fukushi-ka\n", "    in_charge: nowhere\n")))
    assert sorted(e.key for e in errors) == ["int_parsing", "unknown_id", "unknown_id"]
    assert {e.file.rsplit("/", 1)[1] for e in errors if e.key == "unknown_id"} == {"programs.yml", "meetings.yml"}


# ----------------------------------------------------------------------------
# The adoption kit: init writes a complete, checked, buildable data folder
# ----------------------------------------------------------------------------


def test_the_starter_from_init_checks_builds_strictly_and_shows_110_119(tmp_path, capsys):
    data = tmp_path / "city"
    assert cli_main(["init", str(data)]) == 0
    assert (data / "national.yml").exists()
    for stem in ("cases", "narrative", "search"):
        assert (data / f"{stem}.yml").exists(), stem
    assert cli_main(["check", str(data)]) == 0
    site = tmp_path / "site"
    result = mkdocs_build(data, site)
    assert result.returncode == 0, result.stdout + result.stderr
    home = read(site / "index.html")
    assert {"tel:110", "tel:119"} <= set(home.tel_links())


def test_the_editing_guide_takes_its_examples_from_the_city(second, second_site):
    text = page_of(second_site, "editing").main_text
    assert "0467" not in text
    assert second.agencies[0].phones[0].display in text
    assert "ほかの市区町村で使う" in text and "not_required" in text and "areas" in text


def test_a_category_id_equal_to_a_field_id_is_an_error(tmp_path):
    """The directory anchors fields and categories by id on one page: they may not coincide."""
    data = _edited(tmp_path, ("agencies.yml", "  - id: hokatsu\n", "  - id: korei\n"),
                   ("agencies.yml", "category: hokatsu\n", "category: korei\n"),
                   ("programs.yml", "categories: [hokatsu]", "categories: [korei]"),
                   ("meetings.yml", "convened_by: hokatsu", "convened_by: korei"),
                   ("flows/soudan.yml", "contacts: [hokatsu]", "contacts: [korei]"))
    errors = _errors(data)
    assert [(e.key, e.field) for e in errors] == [("duplicate_id", "categories[2].id")], [e.format() for e in errors]


def test_a_slip_in_the_support_flow_gives_one_error_not_one_per_outcome_step(tmp_path):
    """Outcomes name support-flow steps by number; when the steps cannot be read, those are not judged."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)  # Kamakura's outcomes name steps; the second city's do not
    path = data / "support_flow.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("    - number: 1\n", "    - number: one\n", 1),
                    encoding="utf-8")
    errors = _errors(data)
    assert [e.key for e in errors] == ["int_parsing"], [e.format() for e in errors]


# ----------------------------------------------------------------------------
# A category of several fields, a provider without a service, one phone of an agency, the hub's operator
# ----------------------------------------------------------------------------


def _section_texts(page, tag: str = "caption") -> list[str]:
    return [e.text.strip() for e in page.elements if e.tag == tag]


def test_a_category_of_several_fields_is_listed_once_and_each_field_points_to_it(second, second_site):
    several = next(c for c in second.categories if len(c.field_ids) > 1)
    agency = second.agencies_in(several.id)[0]
    for url in ("agencies", "residents"):
        page = page_of(second_site, url)
        assert [c for c in _section_texts(page) if c.startswith(several.name)] == \
            [f"{several.name}（{'・'.join(f.name for f in second.category_fields(several.id))}）"], url
        assert [e.text for e in page.elements if e.tag == "th" and e.text.strip() == agency.name] == [agency.name], url
        pointers = [e for e in page.elements if e.attrs.get("class") == "ts-see-also"]
        assert len(pointers) == len(several.field_ids), url
        for field, pointer in zip(second.category_fields(several.id), pointers):
            assert pointer.text.startswith(field.name)
        assert all(e.attrs["href"] == f"#{several.id}" for e in page.links() if e.text.strip() == several.name), url
    # its agency's page links back to the category's one place, not to one of its fields
    back = [e.attrs["href"] for e in page_of(second_site, f"agencies/{agency.id}").links() if "相談先一覧）へ" in e.text]
    assert back == [f"../#{several.id}"]
    # and the booklet prints its table once
    booklet = read(second_site / "booklet" / "index.html")
    assert [c for c in _section_texts(booklet) if c.startswith(several.name)] == [c for c in _section_texts(
        page_of(second_site, "agencies")) if c.startswith(several.name)]


def test_a_provider_without_a_service_is_named_by_its_category(second, second_site):
    program, provider = next((p, pr) for p in second.programs for pr in p.providers
                             if not pr.service and not pr.hub and pr.agencies and not pr.categories)
    category = second.category(second.agency(provider.agencies[0]).category)
    count = len(provider.agencies)
    assert f"{category.name}（{count} カ所）" in _section_texts(page_of(second_site, f"programs/{program.id}"))
    booklet = read(second_site / "booklet" / "index.html")
    items = [e.text for e in booklet.elements if e.tag == "li" and f"（{count} カ所）" in e.text]
    assert any(t.startswith(f"{category.name}（{count} カ所）") for t in items), items
    assert not any(t.startswith("（") for t in _section_texts(page_of(second_site, f"programs/{program.id}")))


def test_an_outcome_naming_one_phone_shows_that_phone_only(second, second_site):
    from tsunagu.data.flows import flow_pages
    flow, outcome, contact = next((f, o, c) for f in second.flows for o in f.outcomes for c in o.contacts if c.phone)
    agency = second.agency(contact)
    chosen = next(p for p in agency.phones if p.label == contact.phone)
    url = next(fp.url for fp in flow_pages(flow) if fp.node is outcome)
    page = page_of(second_site, url)
    assert set(page.tel_links()) == {chosen.tel}
    assert str(chosen.hours) in page.main_text
    assert str(agency.hours) not in page.main_text  # the desk's daytime hours are not the night line's
    assert len(agency.phones) > 1 and any(p.tel in page_of(second_site, f"agencies/{agency.id}").tel_links()
                                          for p in agency.phones if p is not chosen)


def test_the_hub_and_the_agency_that_runs_it_link_both_ways(second, second_site):
    operator, hub = second.hub_operator, second.hub
    tagline = next(e for e in page_of(second_site, hub.id).elements if e.attrs.get("class") == "ts-tagline")
    hub_page = page_of(second_site, hub.id)
    assert operator.name in tagline.text
    assert any(e.attrs["href"] == f"../agencies/{operator.id}/" and e.text.strip() == operator.name for e in hub_page.links())
    agency_page = page_of(second_site, f"agencies/{operator.id}")
    runs = next(e for e in agency_page.elements if e.attrs.get("class") == "ts-operates")
    assert runs.text == f"{hub.name}（{hub.role}）を運営しています。"
    assert any(e.attrs["href"] == f"../../{hub.id}/" for e in agency_page.links())
    assert f"（{operator.name}）" in read(second_site / "booklet" / "index.html").main_text
    # no other agency says it runs the hub
    other = next(a for a in second.agencies if a.id != operator.id)
    assert not [e for e in page_of(second_site, f"agencies/{other.id}").elements if e.attrs.get("class") == "ts-operates"]


def test_one_phone_contacts_and_the_operator_are_checked_with_their_lines(tmp_path):
    data = _edited(tmp_path / "a", ("flows/soudan.yml", "        phone: 夜間・休日\n", "        phone: 深夜\n"))
    errors = _errors(data)
    assert [e.key for e in errors] == ["unknown_id"], [e.format() for e in errors]
    lines = (data / "flows" / "soudan.yml").read_text(encoding="utf-8").split("\n")
    assert errors[0].line == lines.index("        phone: 深夜") + 1
    assert "深夜" in errors[0].message and "夜間・休日" in errors[0].message and "昼間" in errors[0].message
    data = _edited(tmp_path / "b", ("hub.yml", "operator: {agency: shakyo-honbu}", "operator: {agency: nowhere}"))
    errors = _errors(data)
    assert [e.key for e in errors] == ["unknown_id"], [e.format() for e in errors]
    lines = (data / "hub.yml").read_text(encoding="utf-8").split("\n")
    assert errors[0].line == lines.index("  operator: {agency: nowhere}") + 1 and "nowhere" in errors[0].message


def test_one_phone_may_be_named_of_an_agency_only(tmp_path):
    data = _edited(tmp_path, ("flows/soudan.yml", "      - agency: sogo-honcho\n", "      - agency: sogo-madoguchi\n"))
    errors = _errors(data)
    assert [e.key for e in errors] == ["unknown_id"] and "相談先の id ではありません" in errors[0].message


def test_the_operator_may_stay_free_text(tmp_path):
    data = _edited(tmp_path, ("hub.yml", "operator: {agency: shakyo-honbu}", "operator: 社会福祉法人つなぐ会"))
    guide = load_guide(data)
    assert guide.hub_operator is None and guide.hub_operator_name == "社会福祉法人つなぐ会"


@pytest.mark.browser
def test_the_one_phone_outcome_prints_on_one_a4_page_with_that_phone(second, second_site, browser):
    from tsunagu.data.flows import flow_pages
    flow, outcome, contact = next((f, o, c) for f in second.flows for o in f.outcomes for c in o.contacts if c.phone)
    agency = second.agency(contact)
    url = next(fp.url for fp in flow_pages(flow) if fp.node is outcome)
    page = browser.new_page()
    try:
        page.goto((second_site / url / "index.html").as_uri())
        page.emulate_media(media="print")
        printed = page.inner_text("article")
        assert [p.display for p in agency.phones if p.display in printed] == [
            p.display for p in agency.phones if p.label == contact.phone]
        pdf = page.pdf(format="A4")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    finally:
        page.close()
