"""A small fictional city builds its own site: the code knows no city."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, ROOT, TINY, mkdocs_build
from htmlread import page_of, read
from tsunagu import load_guide

pytestmark = pytest.mark.slow


def test_tiny_city_builds_its_own_pages(tiny_site):
    guide = load_guide(TINY)
    assert (len(guide.agencies), len(guide.programs), len(guide.meetings)) == (3, 2, 1)
    home = page_of(tiny_site, "")
    assert guide.site.title in home.title
    for agency in guide.agencies:
        page = page_of(tiny_site, f"agencies/{agency.id}")
        assert {p.tel for p in agency.phones} <= set(page.tel_links())
    listed = page_of(tiny_site, "programs")
    assert all(p.name in listed.main_text for p in guide.programs)
    assert (tiny_site / guide.hub.id / "index.html").exists()


def test_tiny_city_site_says_nothing_of_kamakura(tiny_site):
    kamakura = load_guide(DATA)
    words = {kamakura.site.city, kamakura.hub.name, kamakura.hub.short} | {a.name for a in kamakura.agencies}
    words |= {p.display for a in kamakura.agencies for p in a.phones}
    for html in tiny_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert [w for w in words if w and w in text] == [], html


def test_code_and_templates_hold_no_city_fact():
    kamakura = load_guide(DATA)
    words = {kamakura.site.city, kamakura.hub.name, "Libero", "鎌倉"}
    words |= {a.name for a in kamakura.agencies} | {p.display for a in kamakura.agencies for p in a.phones}
    places = [ROOT / "tsunagu", ROOT / "hooks", ROOT / "overrides", ROOT / "docs"]
    files = [p for d in places for p in d.rglob("*") if p.is_file() and p.suffix in (".py", ".j2", ".md", ".html", ".css", ".js")]
    files.append(ROOT / "mkdocs.yml")
    found = [(f.relative_to(ROOT), w) for f in files for w in words if w in f.read_text(encoding="utf-8")]
    assert found == []


def test_text_from_data_is_shown_as_text_never_as_markup(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    agencies = data / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace(
        "name: 北の窓口", "name: '<script>alert(\"x\")</script>北の*窓口*'"), encoding="utf-8")
    hub = data / "hub.yml"
    hub.write_text(hub.read_text(encoding="utf-8").replace("name: つなぎセンター", "name: <i>つなぎ</i>&センター"),
                   encoding="utf-8")
    site_file = data / "site.yml"
    site_file.write_text(site_file.read_text(encoding="utf-8").replace("title: 架空町", "title: <b>架空町</b>"),
                         encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(data, site)
    assert result.returncode == 0, result.stderr
    for url in ("agencies/kita-madoguchi", "agencies", "residents"):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html
        page = read(site / url / "index.html")
        assert '<script>alert("x")</script>北の*窓口*' in page.main_text
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<i>つなぎ" not in text and "<b>架空町" not in text, html
    assert "&lt;i&gt;つなぎ&lt;/i&gt;&amp;センター" in (site / "index.html").read_text(encoding="utf-8")


def test_hours_are_shown_only_where_the_data_has_them(tiny_site):
    guide = load_guide(TINY)
    with_hours = [a for a in guide.agencies if a.hours]
    assert with_hours
    directory = page_of(tiny_site, "agencies").main_text
    for agency in with_hours:
        assert str(agency.hours) in directory
        assert str(agency.hours) in page_of(tiny_site, f"agencies/{agency.id}").main_text
    kamakura_dir = (DATA / "agencies.yml").read_text(encoding="utf-8")
    assert "hours:" not in kamakura_dir  # the booklet gives no hours: none are invented
