"""One source, every format: the booklet (print page and PDF), the open data (CSV, JSON, HSDS),
JSON-LD on the agency and hub pages, all read from the real built site.

The last test is the issue's "done when": one phone number changed in a copy of the data, one
build, and every format shows the new number.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, HSDS, ROOT, mkdocs_build, need_shared
from htmlread import page_of, read
from tsunagu.outputs import booklet, export
from tsunagu.site import jsonld, published
from tsunagu import load_guide
from tsunagu.data.dates import wareki_month

pytestmark = pytest.mark.slow

HSDS_SCHEMAS = {"organizations": "organization.json", "services": "service.json", "phones": "phone.json",
                "locations": "location.json", "schedules": "schedule.json", "service_areas": "service_area.json"}
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def squash(text: str) -> str:
    """Text compared across formats, without white space (PDF lines break anywhere)."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list:
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the booklet PDF must be built in CI: {path} is missing")
        pytest.skip("no booklet PDF (the build found no Chromium): apt-get install chromium fonts-noto-cjk")
    from pypdf import PdfReader
    return PdfReader(str(path)).pages


def pdf_text(path: Path) -> str:
    return squash("".join(p.extract_text() for p in pdf_pages(path)))


def hsds_validators() -> dict:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
    need_shared(HSDS, "the HSDS 3.0 schemas")
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in HSDS.glob("*.json")}
    # the schema files name each other by file name ("phone.json"): register each under its name
    registry = Registry().with_resources(
        (name, Resource.from_contents(s, default_specification=DRAFT202012)) for name, s in schemas.items())
    return {table: jsonschema.Draft202012Validator(schemas[name], registry=registry,
                                                   format_checker=jsonschema.FormatChecker())
            for table, name in HSDS_SCHEMAS.items()}


def jsonld_of(site: Path, url: str) -> list[dict]:
    return [json.loads(m) for m in JSONLD.findall((site / url / "index.html").read_text(encoding="utf-8"))]


def csv_rows(site: Path) -> list[dict]:
    raw = (site / published.CSV_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV starts with a BOM so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


# ----------------------------------------------------------------------------
# The booklet: print page and PDF
# ----------------------------------------------------------------------------


def test_pdf_holds_every_agency_phone_closure_criterion_and_the_issue_date(kamakura_site, kamakura):
    text = pdf_text(kamakura_site / published.BOOKLET_PDF)
    wanted = [a.name for a in kamakura.agencies] + [p.display for a in kamakura.agencies for p in a.phones]
    wanted += [kamakura.hub.name] + [p.display for p in kamakura.hub.phones]
    wanted += [p.closure.summary for p in kamakura.closure_programs()] + [p.closure.text for p in kamakura.closure_programs()]
    wanted += [wareki_month(kamakura.site.issued), kamakura.site.city]
    assert kamakura.closure_programs(), "Kamakura's programmes state closure criteria"
    missing = [w for w in wanted if squash(w) not in text]
    assert missing == []
    # the text is the page's characters, not the CJK radicals that share their glyphs (Noto CJK's Type 3 fonts did)
    assert "支援" in text and not [c for c in set(text) if 0x2E80 <= ord(c) <= 0x2FDF or c == "\u2027"]


def test_pdf_is_a4_with_a_running_head_and_a_number_on_every_page_but_the_cover(kamakura_site, kamakura):
    pages = pdf_pages(kamakura_site / published.BOOKLET_PDF)
    assert len(pages) > 1
    for page in pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.3) <= 1 and abs(float(box.height) - 841.9) <= 1, box
    head = squash(f"{kamakura.site.city}・{wareki_month(kamakura.site.issued)}発行")
    # the cover is page 1 without head or number; the numbers are the PDF's page numbers, without a total
    assert head not in squash(pages[0].extract_text()) and f"1/{len(pages)}" not in squash(pages[0].extract_text())
    for number, page in enumerate(pages[1:], start=2):
        lines = [squash(line) for line in page.extract_text().splitlines()]
        assert str(number) in lines, f"page {number} has no page number"
        assert head in squash(page.extract_text()), f"page {number} has no running head"


def test_print_page_is_the_booklet_without_web_chrome(kamakura_site, kamakura):
    html = (kamakura_site / published.BOOKLET_PAGE / "index.html").read_text(encoding="utf-8")
    page = read(kamakura_site / published.BOOKLET_PAGE / "index.html")
    assert "md-header" not in html and "data-ts-search" not in html and "md-sidebar" not in html
    assert re.search(r"@page\s*{[^}]*size:\s*A4", html)
    assert "counter(page)" in html
    # a table of contents whose every entry leads to a heading of the page
    ids = {e.attrs["id"] for e in page.elements if "id" in e.attrs}
    toc = [e.attrs["href"][1:] for e in page.links() if e.attrs["href"].startswith("#") and e.attrs["href"] != "#content"]
    assert len(toc) >= len(kamakura.programs) + 5 and set(toc) <= ids
    # the booklet's order: the chapters with the parts each holds (Kamakura's 第2章 the programmes, support
    # flow and meetings, 第3章 the hub, cases and closure table), then directory and publisher
    # (tests/test_booklet_order.py checks it against the data)
    order = [f"chapter-{c.id}" for c in kamakura.chapters[:2]] + [
        f"program-{kamakura.programs[0].id}", "support-flow", "meetings", f"chapter-{kamakura.chapters[2].id}", "hub",
        "cases", "closure", "directory", "publisher"]
    positions = [html.index(f'id="{anchor}"') for anchor in order]
    assert positions == sorted(positions)
    # phone numbers as digits, not links
    text = squash(page.main_text)
    assert all(squash(p.display) in text for a in kamakura.agencies for p in a.phones)
    assert not any(e.attrs["href"].startswith("tel:") for e in page.links())


def test_running_head_cannot_break_out_of_its_css_string():
    from tsunagu.outputs.booklet import css_string
    escaped = css_string('a"b\\c</style><script>x</script>\n')
    assert '"' not in escaped and "<" not in escaped and ">" not in escaped and "\n" not in escaped
    assert escaped.startswith("a\\22 b\\5c c\\3c /style")


def test_without_chromium_the_print_page_is_written_and_a_japanese_message_says_why(kamakura, tmp_path, monkeypatch,
                                                                                     capsys):
    from tsunagu.build import downloads
    monkeypatch.setenv("TSUNAGU_CHROMIUM", str(tmp_path / "no-such-browser"))
    (tmp_path / "search").mkdir()
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    downloads.write(tmp_path, kamakura)
    assert (tmp_path / published.BOOKLET_PAGE / "index.html").exists() and not (tmp_path / published.BOOKLET_PDF).exists()
    assert (tmp_path / published.CSV_FILE).exists() and (tmp_path / published.OFFLINE_ZIP).exists()
    err = capsys.readouterr().err
    assert "冊子の PDF は作りませんでした" in err and "Chromium" in err and "Traceback" not in err


def test_a_chromium_that_fails_in_the_background_job_gives_a_japanese_message_and_no_pdf(kamakura, tmp_path,
                                                                                       monkeypatch):
    from tsunagu.outputs.booklet import PdfJob
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("TSUNAGU_CHROMIUM", str(fake))
    job = PdfJob.start(kamakura)
    site = tmp_path / "site"
    message = job.finish(site)
    assert (site / published.BOOKLET_PAGE / "index.html").exists() and not (site / published.BOOKLET_PDF).exists()
    assert "冊子の PDF は作りませんでした" in message and "cannot open display" in message
    assert not list(tmp_path.glob("**/*.part"))


def _slow_chromium(tmp_path: Path) -> tuple[Path, Path]:
    """A Chromium that never finishes, and the file where it writes its process id."""
    fake, pid_file = tmp_path / "chromium", tmp_path / "chromium.pid"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 300\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake, pid_file


def _running(pid_file: Path) -> bool:
    pid = int(pid_file.read_text())
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while not condition() and time.monotonic() < end:
        time.sleep(0.05)
    return condition()


def test_a_cancelled_pdf_job_leaves_no_process_and_no_folder(kamakura, tmp_path, monkeypatch):
    from tsunagu.outputs.booklet import PdfJob
    fake, pid_file = _slow_chromium(tmp_path)
    monkeypatch.setenv("TSUNAGU_CHROMIUM", str(fake))
    job = PdfJob.start(kamakura)
    folder = job._dir
    assert folder.is_dir()
    assert _wait_for(pid_file.exists, 30), "Chromium was never started"
    job.cancel()
    assert job._proc.poll() is not None and not folder.exists()
    assert _wait_for(lambda: not _running(pid_file), 5), "Chromium outlived the cancelled job"


KILLED_BUILD = """
import sys, time
from tsunagu import load_guide
from tsunagu.outputs.booklet import PdfJob
job = PdfJob.start(load_guide(sys.argv[1]))
print(job._dir, flush=True)
time.sleep(300)
"""


@pytest.mark.parametrize("when", ["printing", "starting"])
def test_a_build_killed_while_its_pdf_prints_leaves_no_chromium_and_no_folder(tmp_path, when):
    """Killed while Chromium prints, or at once after the job starts (before the printing process
    can have run a line): the printing process stops Chromium and removes its folder itself."""
    fake, pid_file = _slow_chromium(tmp_path)
    env = {**os.environ, "TSUNAGU_CHROMIUM": str(fake), "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(DATA)], env=env,
                             stdout=subprocess.PIPE, text=True)
    folder = Path(build.stdout.readline().strip())
    assert folder.name.startswith("tsunagu-booklet-")
    if when == "printing":
        assert _wait_for(pid_file.exists, 30), "Chromium was never started"
    build.kill()
    build.wait()
    assert _wait_for(lambda: not folder.exists(), 15), "the printing process left its folder"
    if pid_file.exists():
        assert _wait_for(lambda: not _running(pid_file), 5), "Chromium outlived the killed build"


# ----------------------------------------------------------------------------
# Open data
# ----------------------------------------------------------------------------


def test_csv_has_one_row_per_agency_with_the_phones_the_site_shows(kamakura_site, kamakura):
    rows = csv_rows(kamakura_site)
    assert list(rows[0]) == export.CSV_COLUMNS
    assert [r["ID"] for r in rows] == [a.id for a in kamakura.agencies] + [kamakura.hub.id]
    for agency, row in zip(kamakura.agencies, rows):
        shown = list(page_of(kamakura_site, f"agencies/{agency.id}").tel_links().values())
        assert row["電話番号"] == shown[0]
        assert [c.split(": ")[-1] for c in row["連絡先備考（その他、SNSなど）"].split(f"{export.JOIN} ") if c] in (
            [], shown[: len(agency.phones)])
        assert row["名称"] == agency.name and row["種別"] == kamakura.category(agency.category).name
        # nothing the data does not state
        assert bool(row["所在地_連結表記"]) == bool(agency.address) and row["名称_カナ"] == ""
        assert row["全国地方公共団体コード"] == (kamakura.site.lg_code or "")


def test_guide_json_validates_against_its_schema_and_a_broken_copy_does_not(kamakura_site, kamakura):
    data = json.loads((kamakura_site / published.JSON_FILE).read_text(encoding="utf-8"))
    schema = json.loads((kamakura_site / published.SCHEMA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(data)) == []
    assert [a["id"] for a in data["agencies"]] == [a.id for a in kamakura.agencies]
    assert len(data["programs"]) == len(kamakura.programs) and data["hub"]["name"] == kamakura.hub.name
    broken = {**data, "agencies": [{**data["agencies"][0], "phones": []}]}
    assert list(validator.iter_errors(broken)), "an agency without a phone must fail the schema"


def test_hsds_files_validate_against_the_hsds_3_schemas(kamakura_site, kamakura):
    validators = hsds_validators()
    tables = {t: json.loads((kamakura_site / published.HSDS_FOLDER / f"{t}.json").read_text(encoding="utf-8"))
              for t in published.HSDS_TABLES}
    for table, rows in tables.items():
        errors = [f"{table}[{i}]: {e.message}" for i, row in enumerate(rows) for e in validators[table].iter_errors(row)]
        assert errors == []
    assert [o["name"] for o in tables["organizations"]][: len(kamakura.agencies) + 1] == (
        [a.name for a in kamakura.agencies] + [kamakura.hub.name])
    numbers = {p["number"] for p in tables["phones"]}
    assert {p.display for a in kamakura.agencies for p in a.phones} <= numbers
    ids = [row["id"] for rows in tables.values() for row in rows]
    assert len(ids) == len(set(ids))
    # locations only where the data knows an address
    with_address = [a for a in kamakura.agencies if a.address] + ([kamakura.hub] if kamakura.hub.address else [])
    assert [loc["name"] for loc in tables["locations"]] == [x.name for x in with_address]
    # the validators do reject a broken record (the $refs between files resolve)
    bad = {"id": "not-a-uuid", "location_type": "physical", "addresses": [{"id": "x"}]}
    assert list(validators["locations"].iter_errors(bad))


@pytest.mark.parametrize("city", ["tiny_city", "second_city"])
def test_other_cities_exports_validate_too(city):
    """Cities with other shapes (categories in several fields or none, hours per phone, addresses)."""
    guide = load_guide(Path(__file__).parent / "fixtures" / city)
    validators = hsds_validators()
    for table, rows in export.hsds(guide).items():
        assert [e.message for row in rows for e in validators[table].iter_errors(row)] == []
    validator = jsonschema.Draft202012Validator(export.guide_schema(), format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(export.guide_json(guide))) == []
    rows = list(csv.DictReader(io.StringIO(export.directory_csv(guide).decode("utf-8-sig"))))
    assert [r["ID"] for r in rows] == [a.id for a in guide.agencies] + [guide.hub.id]
    for agency, row in zip(guide.agencies, rows):
        assert row["電話番号"] == agency.phones[0].display
        for p in agency.phones:
            assert not p.hours or str(p.hours) in row["連絡先備考（その他、SNSなど）"]
    html = booklet.render_page(guide)
    assert all(a.name in html for a in guide.agencies)


def test_jsonld_on_agency_and_hub_pages_names_the_phone_the_page_shows(kamakura_site, kamakura):
    for agency in kamakura.agencies:
        (data,) = jsonld_of(kamakura_site, f"agencies/{agency.id}")
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == ("GovernmentOffice" if agency.address else "Organization")
        assert data["name"] == agency.name
        # the page links tel:+81-…; the JSON-LD gives the same number in E.164
        links = list(page_of(kamakura_site, f"agencies/{agency.id}").tel_links())
        assert "tel:" + data["telephone"] == links[0].replace("-", "")
        assert [c["telephone"] for c in data.get("contactPoint", [])] in (
            [], [link.replace("-", "")[4:] for link in links[: len(agency.phones)]])
    (hub,) = jsonld_of(kamakura_site, kamakura.hub.id)
    office, *services = hub["@graph"]
    assert office["name"] == kamakura.hub.name and {s["@type"] for s in services} == {"GovernmentService"}
    assert all(s["provider"] == {"@id": office["@id"]} for s in services)
    assert "tel:" + office["telephone"] in [t.replace("-", "") for t in page_of(kamakura_site, kamakura.hub.id).tel_links()]


def test_jsonld_escapes_text_that_could_close_the_script(kamakura):
    agency = kamakura.agencies[0].model_copy(update={"name": "</script><script>alert(1)</script>&"})
    block = str(jsonld.agency_jsonld(kamakura, agency))
    assert block.count("</script>") == 1 and block.endswith("</script>")
    inner = JSONLD.search(block).group(1)
    assert json.loads(inner)["name"] == agency.name


def test_open_data_page_links_every_download_and_says_the_licence_is_not_stated(kamakura_site, kamakura):
    page = page_of(kamakura_site, "opendata")
    hrefs = {e.attrs["href"] for e in page.links()}
    downloads = [published.CSV_FILE, published.JSON_FILE, published.SCHEMA_FILE, published.BOOKLET_PDF, published.OFFLINE_ZIP,
                 published.BOOKLET_PAGE] + [f"{published.HSDS_FOLDER}/{t}.json" for t in published.HSDS_TABLES]
    for target in downloads:
        rel = os.path.relpath(target, "opendata") + ("/" if target.endswith("/") else "")
        assert rel in hrefs, f"the open-data page does not link {target}"
        assert (kamakura_site / target).exists() or target == published.BOOKLET_PDF
    assert kamakura.site.license is None
    assert "利用条件（ライセンス）は、まだ示されていません" in page.main_text
    prof = {e.attrs["href"] for e in page_of(kamakura_site, "professionals").links()}
    assert {"../booklet.pdf", "../booklet/", "../opendata/"} <= prof


# ----------------------------------------------------------------------------
# Done when: one phone changed in the data, one build, every format shows it
# ----------------------------------------------------------------------------


def test_one_phone_changed_in_the_data_shows_in_every_format_after_one_build(tmp_path):
    guide = load_guide(DATA)
    agency = guide.agencies[1]
    old = agency.phones[0]
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    source = (data / "agencies.yml").read_text(encoding="utf-8")
    written = old.display
    assert source.count(f"number: {written}") == 1, "the number is written once in the data"
    new_display = "0467-40-1234" if written != "0467-40-1234" else "0467-40-1235"
    (data / "agencies.yml").write_text(source.replace(f"number: {written}", f"number: {new_display}"), encoding="utf-8")
    site_yml = (data / "site.yml").read_text(encoding="utf-8")
    (data / "site.yml").write_text(site_yml.replace("site:\n", "site:\n  license: テスト用の利用条件\n", 1), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(data, site)
    assert result.returncode == 0, result.stdout + result.stderr
    new = load_guide(data).agency(agency.id).phones[0]
    assert new.display == new_display

    # the site: the agency page and the directory
    page = page_of(site, f"agencies/{agency.id}")
    assert new.tel in page.tel_links() and old.tel not in page.tel_links()
    assert page_of(site, "agencies").tel_links().get(new.tel) == new_display
    # the booklet PDF (and its print page)
    if (site / published.BOOKLET_PDF).exists() or os.environ.get("CI") == "true":
        text = pdf_text(site / published.BOOKLET_PDF)
        assert squash(new_display) in text and squash(old.display) not in text
    assert new_display in read(site / published.BOOKLET_PAGE / "index.html").main_text
    # the CSV
    row = next(r for r in csv_rows(site) if r["ID"] == agency.id)
    assert row["電話番号"].split(export.JOIN)[0] == new_display
    # the JSON
    data_json = json.loads((site / published.JSON_FILE).read_text(encoding="utf-8"))
    assert next(a for a in data_json["agencies"] if a["id"] == agency.id)["phones"][0]["number"] == new.number
    # HSDS
    phones = json.loads((site / published.HSDS_FOLDER / "phones.json").read_text(encoding="utf-8"))
    numbers = [p["number"] for p in phones]
    assert new_display in numbers and old.display not in numbers
    # JSON-LD
    (ld,) = jsonld_of(site, f"agencies/{agency.id}")
    assert ld["telephone"] == new.number
    # the offline copy
    with zipfile.ZipFile(site / published.OFFLINE_ZIP) as zf:
        offline = zf.read(f"offline/agencies/{agency.id}/index.html").decode("utf-8")
    assert f'href="{new.tel}"' in offline and f'href="{old.tel}"' not in offline
    # and the licence the city stated is on the open-data page
    assert "利用条件（ライセンス）: テスト用の利用条件" in page_of(site, "opendata").main_text
