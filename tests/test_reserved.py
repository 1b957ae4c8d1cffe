"""No id from the data may land on a page or file the build or the theme writes, nor take an element
id the theme or the site uses (issue 18, item 3). The names are read from a built site, not listed
by hand: a new download or theme folder is covered without touching this file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, TINY, mkdocs_build
from tsunagu import DataErrors
from tsunagu.data import chars
from tsunagu.site import published, reserved
from tsunagu.cli import hand_written_pages
from tsunagu import load_guide
from tsunagu.build.theme import project_site_names

HUB = "tsunagi"  # the fictional city's hub id: its page is the one top-level page named by the data
FIELD, CATEGORY = "kurashi", "madoguchi"

# Folders of the site where ids from the data land, with an id of the fictional city that lands there
SECTIONS = {"agencies": "kita-madoguchi", "programs": "kyodo", "meetings": "machi-kaigi", "flows": "simple"}


@pytest.fixture(scope="module")
def site_names() -> reserved.SiteNames:
    return project_site_names(ROOT / "mkdocs.yml")


def _renamed(tmp_path: Path, old: str, new: str) -> Path:
    """The fictional city with one id renamed wherever it is written (not inside longer ids)."""
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(TINY, data)
    pattern = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w:-])")
    for path in data.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(new, text), encoding="utf-8")
    return data


def _errors(data: Path, site: reserved.SiteNames) -> list:
    try:
        load_guide(data, hand_written=hand_written_pages(), site=site)
    except DataErrors as exc:
        return exc.errors
    return []


def _refused(tmp_path: Path, old: str, new: str, site: reserved.SiteNames, file: str) -> list:
    """The errors that the id `new` (in place of `old`) gets in `file`; the fixture must hold `old`."""
    assert re.search(rf"(?<![\w-]){re.escape(old)}(?![\w-])", (TINY / file).read_text(encoding="utf-8")), "the fixture changed"
    return [e for e in _errors(_renamed(tmp_path, old, new), site) if Path(e.file).name == Path(file).name]


def _is_slug(name: str) -> bool:
    return re.fullmatch(chars.SLUG_PATTERN, name) is not None


# ----------------------------------------------------------------------------
# Pages and files
# ----------------------------------------------------------------------------


def test_every_top_level_name_of_the_built_site_is_refused_as_a_hub_id(tiny_site, site_names, tmp_path):
    names = sorted(p.name for p in tiny_site.iterdir())
    # the enumeration is real: the downloads, the theme's files and pages and the sections are there
    assert {"booklet", "opendata", "search", "assets", "404.html", "sitemap.xml", "offline.zip", "agencies"} <= set(names)
    assert HUB in names
    unrefused = []
    for name in names:
        if name == HUB:
            continue
        errors = _refused(tmp_path, HUB, name, site_names, "hub.yml")
        if _is_slug(name):
            ok = any(e.field == "hub.id" and e.key in ("page_collision", "reserved_id") and f"/{name}" in e.message
                     and f"「{name}」" in e.message for e in errors)
        else:  # a file name with a dot: no id can be written so
            ok = any(e.field == "hub.id" and e.key == "string_pattern_mismatch" for e in errors)
        if not ok:
            unrefused.append((name, [e.format() for e in errors]))
    assert not unrefused


def test_every_name_in_a_section_of_the_built_site_is_refused_as_an_id_there(tiny_site, site_names, tmp_path):
    checked = 0
    for section, old in SECTIONS.items():
        ids_there = {p.name for p in (tiny_site / section).iterdir() if p.is_dir()}
        assert old in ids_there, "the fixture changed"
        file = "flows/simple.yml" if section == "flows" else f"{section}.yml"
        for name in sorted(p.name for p in (tiny_site / section).iterdir()):
            if name in ids_there:
                continue  # a page of an id from the data
            errors = _refused(tmp_path, old, name, site_names, file)
            assert errors, f"{section}/{name} is not refused as an id"
            if _is_slug(name):
                assert any(e.key in ("page_collision", "reserved_id") and f"/{section}/{name}" in e.message for e in errors)
            checked += 1
    assert checked >= len(SECTIONS)  # each section has at least its index page


def test_the_error_names_both_pages(tmp_path, site_names):
    (err,) = _refused(tmp_path, HUB, "booklet", site_names, "hub.yml")
    assert (err.key, err.field, err.line) == ("page_collision", "hub.id", 2)
    assert "多機関協働事業者「booklet」のページ（/booklet/）" in err.message and "印刷用の冊子のページ（/booklet/）" in err.message
    (err,) = _refused(tmp_path, HUB, "assets", site_names, "hub.yml")
    assert "テーマのファイル（/assets/）" in err.message


def test_without_the_theme_the_names_tsunagu_writes_are_still_refused(tmp_path):
    # load_guide alone (as tests and tools call it) knows the downloads and the search index
    for name in ("booklet", "opendata", "search"):
        data = _renamed(tmp_path, HUB, name)
        with pytest.raises(DataErrors) as info:
            load_guide(data)
        assert any(e.field == "hub.id" and e.key == "page_collision" for e in info.value.errors), name


def test_every_path_published_names_is_reserved():
    written = {path.rstrip("/") for path in published.WRITTEN}
    for name, value in vars(published).items():
        if name.isupper() and isinstance(value, str):
            value = value.rstrip("/")
            assert value in written or any(w.startswith(value + "/") for w in written), name


def test_a_page_inside_or_around_a_written_path_collides():
    from tsunagu.data.validate import Located, PageAt
    where = Located("data/x.yml", None, ("x", "id"))
    files = {"assets/": "テーマのファイル", "opendata/hsds/services.json": "HSDS", "a.txt": "file"}
    urls = {"assets/": True, "assets/x/": True, "opendata/": True, "opendata/hsds/": True, "opendata/other/": False,
            "a.txt/": True, "asset/": False, "agencies/assets/": False}
    for url, collides in urls.items():
        assert bool(reserved.file_collisions([PageAt(url, "p", where)], files)) is collides, url
    assert not reserved.file_collisions([PageAt("assets/", "p", None)], files)  # the site's own pages


@pytest.mark.slow
def test_hub_id_booklet_stops_check_and_the_build(tmp_path):
    # the audit's case: the print page overwrote the hub's page, and every hub link opened the booklet
    data = _renamed(tmp_path, HUB, "booklet")
    checked = subprocess.run([sys.executable, "-m", "tsunagu", "check", str(data)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "hub.yml:2 hub.id:" in checked.stderr and "/booklet/" in checked.stderr
    result = mkdocs_build(data, tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "hub.yml:2 hub.id:" in result.stderr and "印刷用の冊子のページ" in result.stderr
    assert not (tmp_path / "site").exists()


# ----------------------------------------------------------------------------
# Element ids
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("old,file,new", [(CATEGORY, "agencies.yml", "ts-main"), (FIELD, "fields.yml", "ts-menu")])
def test_the_audits_element_ids_are_refused(tmp_path, site_names, old, file, new):
    (err,) = _refused(tmp_path, old, new, site_names, file)
    assert err.key == "reserved_id" and f"「{new}」" in err.message and err.line is not None
    # also without the theme's names: these two are tsunagu's own
    errors = [e for e in _errors(_renamed(tmp_path, old, new), reserved.own()) if e.key == "reserved_id"]
    assert len(errors) == 1


def test_every_element_id_on_the_directory_pages_is_refused_as_a_field_or_category_id(tiny_site, site_names, tmp_path):
    data_ids = {"kurashi", "kosodate", "madoguchi", "hiroba", "cross-field"}
    found: set[str] = set()
    for page in ("agencies/index.html", "residents/index.html"):
        found |= set(re.findall(r'\bid="([^"]+)"', (tiny_site / page).read_text(encoding="utf-8")))
    assert {"ts-main", "ts-menu", "__drawer", FIELD, CATEGORY} <= found, "the pages changed"
    unrefused = []
    for id_ in sorted(found - data_ids):
        for old, file in ((FIELD, "fields.yml"), (CATEGORY, "agencies.yml")):
            errors = _refused(tmp_path, old, id_, site_names, file)
            key = "reserved_id" if _is_slug(id_) else "string_pattern_mismatch"
            if not any(e.key == key for e in errors):
                unrefused.append((id_, file))
    assert not unrefused


def test_the_theme_ids_come_from_the_theme_templates(site_names):
    # Material's own ids are in its templates; they cannot be written as an id (not slugs) but are known
    assert {"__drawer", "__search", "__toc", "ts-search-input", "ts-main", "ts-menu"} <= set(site_names.element_ids)


def test_every_element_id_on_the_glossary_page_is_refused_as_a_term_id(kamakura_site, site_names, tmp_path):
    # term ids anchor the glossary's headings ({ #id }): Kamakura's data has a glossary
    text = (DATA / "glossary.yml").read_text(encoding="utf-8")
    terms = re.findall(r"^  - id: (\S+)$", text, re.M)
    found = set(re.findall(r'\bid="([^"]+)"', (kamakura_site / "glossary" / "index.html").read_text(encoding="utf-8")))
    assert set(terms) <= found and {"ts-main", "ts-menu"} <= found, "the page or the data changed"
    others = sorted(found - set(terms))
    assert all(not _is_slug(id_) for id_ in others if id_.startswith("__"))
    data = tmp_path / "data"
    unrefused = []
    for id_ in (i for i in others if _is_slug(i)):
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(DATA, data)
        (data / "glossary.yml").write_text(text.replace(f"  - id: {terms[0]}\n", f"  - id: {id_}\n", 1), encoding="utf-8")
        errors = _errors(data, site_names)
        if not any(e.key == "reserved_id" and e.field == "terms[0].id" and f"「{id_}」" in e.message for e in errors):
            unrefused.append((id_, [e.format() for e in errors]))
    assert not unrefused
