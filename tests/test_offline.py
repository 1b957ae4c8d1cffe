"""The offline copy (offline.zip): unzipped and opened from file:// with the network blocked, every
link opens a file of the copy, the flows lead to an outcome, an agency page opens, search finds."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT
from tsunagu.site import published
from tsunagu.outputs.offline import FOLDER, local_url

pytestmark = pytest.mark.slow

ATTR = re.compile(r"""\s(href|src|action)=["']([^"']*)["']""")


@pytest.mark.parametrize("link, expected", [
    ("agencies/", "agencies/index.html"), ("../", "../index.html"), ("./", "index.html"), (".", "index.html"),
    ("../..", "../../index.html"), ("../#elderly", "../index.html#elderly"), ("#top", "#top"),
    ("assets/x.css", "assets/x.css"), ("tel:+81-467-61-3436", "tel:+81-467-61-3436"),
    ("https://example.org/", "https://example.org/"), ("../opendata/directory.csv", "../opendata/directory.csv"),
])
def test_folder_links_name_their_index_html(link, expected):
    assert local_url(link) == expected


def test_every_link_of_the_copy_opens_a_file_of_the_copy(kamakura_site, offline_copy):
    pages = sorted(offline_copy.rglob("*.html"))
    built = {p.relative_to(kamakura_site).as_posix() for p in kamakura_site.rglob("*.html")} - {"404.html"}
    assert {p.relative_to(offline_copy).as_posix() for p in pages} == built
    broken, checked = [], 0
    for page in pages:
        for attr, value in ATTR.findall(page.read_text(encoding="utf-8")):
            parts = urlsplit(value)
            if parts.scheme or not parts.path:
                continue
            checked += 1
            if parts.path.startswith("/") or not (page.parent / unquote(parts.path)).resolve().is_file():
                broken.append(f"{page.relative_to(offline_copy)}: {attr}={value}")
    assert checked > len(pages) and broken == []
    assert (offline_copy / "search" / "index.js").read_text(encoding="utf-8").startswith("window.TSUNAGU_SEARCH_INDEX")


@pytest.mark.browser
def test_offline_copy_works_from_file_urls_with_the_network_blocked(browser, offline_copy, kamakura):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside, failed = [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    tab.goto((offline_copy / "index.html").as_uri())
    assert tab.locator("h1").first.inner_text()

    # a flow, first answer at each question, to its outcome page
    flow = kamakura.flows_for("residents")[0].flow
    # each click waits for the next page, so no check reads a page being left
    with tab.expect_navigation():
        tab.click(f"a[href='flows/{flow.id}/index.html']")
    for _ in range(20):
        option = tab.locator("a.ts-option").first
        if not option.count():
            break
        with tab.expect_navigation():
            option.click()
    assert tab.locator(".ts-outcome").count() == 1, tab.url
    assert tab.url.startswith("file://") and tab.url.endswith("/index.html")

    # an agency page, through the directory
    with tab.expect_navigation():
        tab.click("a[href$='agencies/index.html']")
    agency = kamakura.agencies[0]
    with tab.expect_navigation():
        tab.click(f"a[href='{agency.id}/index.html']")
    assert tab.locator("h1").first.inner_text() == agency.name
    assert tab.locator(f"a[href='{agency.phones[0].tel}']").count() >= 1

    # the site search, fed by the index loaded as a script
    word = kamakura.category(agency.category).name
    tab.fill("[data-ts-search] input", word)
    tab.wait_for_selector(f"[data-search-done='{word}']", timeout=15000)
    results = tab.locator("[data-search-results] a")
    assert results.count() >= 1
    title = results.first.inner_text()
    with tab.expect_navigation():
        results.first.click()
    assert tab.url.startswith("file://") and tab.locator("h1").first.inner_text() == title
    context.close()
    assert outside == [] and failed == []


def test_cli_writes_the_offline_copy_of_a_built_site(kamakura_site, tmp_path):
    out = tmp_path / "copy.zip"
    result = subprocess.run([sys.executable, "-m", "tsunagu", "offline", str(kamakura_site), str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as made, zipfile.ZipFile(kamakura_site / published.OFFLINE_ZIP) as built:
        # the copy the build made while writing the pages holds what the built folder holds
        assert sorted(made.namelist()) == sorted(built.namelist())
        assert [n for n in made.namelist() if made.read(n) != built.read(n)] == []
        assert f"{FOLDER}/index.html" in made.namelist() and not any(n.endswith(".map") for n in made.namelist())
    bad = subprocess.run([sys.executable, "-m", "tsunagu", "offline", str(tmp_path / "none"), str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "index.html" in bad.stderr and "Traceback" not in bad.stderr
