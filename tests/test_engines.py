"""Issue 26: the same data builds the same site on MkDocs, ProperDocs and Zensical, and no engine can
publish a half-rendered site.

`tsunagu build --engine E` (tsunagu/build/engines.py): MkDocs and ProperDocs run mkdocs.yml's hook; Zensical,
which runs no hook, sits between tsunagu's generate and finish steps. Compared with the MkDocs build
the other tests read (kamakura_site): every page's article equal, whitespace between tags aside (each
engine's templates indent differently); ProperDocs' pages equal byte for byte but the generator meta
tag; the search index and the open data equal byte for byte; linkchecker, axe and the escaping payload
on each engine's own output.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, LINKCHECKER_RC, ROOT, site_pages, tool
from tsunagu.build import engines
from tsunagu.site import published

pytestmark = pytest.mark.slow

OTHER_ENGINES = ("properdocs", "zensical")
# the one line a ProperDocs page may differ in from MkDocs': the generator meta tag
GENERATOR = re.compile(r'^\s*<meta name="generator" content="[^"]*">$', re.M)


def tsunagu_build(engine: str, site: Path, data: Path = DATA) -> subprocess.CompletedProcess:
    """The README's build command for an engine."""
    return subprocess.run([sys.executable, "-m", "tsunagu", "build", "--engine", engine, "-d", str(site), "--data", str(data)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module", params=OTHER_ENGINES)
def engine_site(request, tmp_path_factory) -> tuple[str, Path]:
    site = tmp_path_factory.mktemp(request.param) / "site"
    result = tsunagu_build(request.param, site)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return request.param, site


@contextlib.contextmanager
def served(site: Path):
    """A built site on loopback (the tests' quiet handler, which linkchecker may check at full speed)."""
    import functools
    import http.server
    import threading

    from conftest import _QuietHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def _article(html: str) -> str:
    start, end = html.find("<article"), html.rfind("</article>")
    assert start >= 0 and end > start
    return " ".join(html[start:end].split())


def test_tsunagu_build_with_mkdocs_is_mkdocs_build_byte_for_byte(kamakura_site, tmp_path):
    site = tmp_path / "site"
    result = tsunagu_build("mkdocs", site)
    assert result.returncode == 0, result.stderr[-3000:]
    ours = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert ours == sorted(p.relative_to(kamakura_site).as_posix() for p in kamakura_site.rglob("*") if p.is_file())
    # the sitemap's dates are the build's day; the PDF and the zip carry the time they were made
    # (taken from the cache when the inputs are the same, as they are here, so equal too when both were)
    differ = [rel for rel in ours if (site / rel).read_bytes() != (kamakura_site / rel).read_bytes()]
    assert set(differ) <= {"sitemap.xml", "sitemap.xml.gz", published.BOOKLET_PDF, published.OFFLINE_ZIP}, differ
    assert "サイトを作りました（mkdocs）" in result.stdout


def test_each_engine_builds_every_page_with_the_same_article(engine_site, kamakura_site):
    engine, site = engine_site
    urls = site_pages(kamakura_site)
    assert site_pages(site) == urls and len(urls) > 200
    differ = [url for url in urls
              if _article((site / (url if url.endswith(".html") else url + "index.html")).read_text(encoding="utf-8"))
              != _article((kamakura_site / (url if url.endswith(".html") else url + "index.html")).read_text(encoding="utf-8"))]
    assert differ == []
    if engine == "properdocs":  # MkDocs' continuation: the whole page is MkDocs', but the generator tag
        for html in sorted(site.rglob("*.html")):
            rel = html.relative_to(site)
            assert GENERATOR.sub("", html.read_text(encoding="utf-8")) == \
                GENERATOR.sub("", (kamakura_site / rel).read_text(encoding="utf-8")), rel


def test_each_engine_writes_the_same_search_index_and_open_data_and_none_of_its_own(engine_site, kamakura_site):
    engine, site = engine_site
    opendata = sorted(p.relative_to(kamakura_site).as_posix() for p in (kamakura_site / published.CSV_FILE).parent.rglob("*")
                      if p.is_file() and p.suffix != ".html")
    assert len(opendata) >= 3 + len(published.HSDS_TABLES)
    for rel in (published.SEARCH_INDEX, *opendata):
        assert (site / rel).read_bytes() == (kamakura_site / rel).read_bytes(), (engine, rel)
    for name in engines.ENGINE_SEARCH:
        assert not (site / name).exists(), (engine, name)
    assert (site / published.OFFLINE_ZIP).is_file() and (site / published.BOOKLET_PDF).is_file()


def test_linkchecker_finds_no_broken_link_on_each_engines_site(engine_site):
    engine, site = engine_site
    exe = tool("linkchecker")
    assert exe, "linkchecker is a test dependency: pip install -e '.[test]'"
    with served(site) as base:
        result = subprocess.run([exe, "-f", str(LINKCHECKER_RC), "--no-status", "--no-warnings", "--threads", "4", base],
                                capture_output=True, text=True, timeout=900)
    assert result.returncode == 0 and "0 errors found" in result.stdout, (engine, result.stdout[-3000:])


@pytest.mark.browser
@pytest.mark.parametrize("engine_site", ["zensical"], indirect=True)
def test_axe_finds_no_violation_on_each_kind_of_page_of_zensicals_site(engine_site, browser):
    """Zensical's own chrome around the same articles: one page of each kind (section and depth), the one
    with the fewest readings, as the articles are MkDocs' (tested above), over whose every page axe runs;
    the largest, the professionals' flow overview, took 16 s of axe alone. (ProperDocs' pages are MkDocs'
    byte for byte but the generator tag, tested above.)"""
    from axe_playwright_python.sync_playwright import Axe

    from test_browser import AXE_TAGS
    from test_ruby import _one_page_of_each_kind
    engine, site = engine_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab, axe, problems = context.new_page(), Axe(), []
    urls = _one_page_of_each_kind(site, most=False) + ["404.html"]
    with served(site) as base:
        for url in urls:
            tab.goto(base + url)
            result = axe.run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
            problems += [f"{engine} /{url}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]]
    context.close()
    assert len(urls) > 20 and problems == []


@pytest.mark.browser
@pytest.mark.parametrize("engine_site", ["zensical"], indirect=True)
def test_on_zensical_every_focus_stop_is_seen_with_a_ring_of_3_to_1(engine_site, browser):
    """The focus checks of tests/test_focus.py (the ring's contrast against what is behind it, not
    hidden, not covered) on Zensical's chrome: the same kinds of page, the same three widths, forward."""
    from test_focus import _MARK_UNFOCUSED, PAGES, SIZES, _walk
    problems, walked = [], 0
    with served(engine_site[1]) as base:
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport)
            tab = context.new_page()
            for kind, url in PAGES.items():
                tab.goto(base + url)
                tab.evaluate(_MARK_UNFOCUSED)
                stops, found = _walk(tab, "Tab")
                walked += len(stops)
                assert len(stops) >= 5, f"{size} /{url}: only {len(stops)} focus stops"
                problems += [f"{size} {kind} /{url}: {p}" for p in found]
            context.close()
    assert walked > 100 and problems == [], "\n".join(problems)


def test_the_payload_in_every_text_reaches_no_page_as_markup_on_zensical(tmp_path, kamakura_site):
    from test_hardening import payload_found, poison
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert poison(data) > 500
    result = tsunagu_build("zensical", tmp_path / "site", data)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert payload_found(tmp_path / "site", kamakura_site) == {"raw": [], "doubled": [], "syntax": {}, "unseen": 0}


# ----------------------------------------------------------------------------
# No engine publishes a half-rendered site: finish() and the hook refuse, the site folder stays
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zensical_raw(tmp_path_factory) -> tuple[engines.Generated, Path]:
    """Kamakura generated and built by Zensical, not yet finished (a copy is taken by each test)."""
    work = tmp_path_factory.mktemp("zensical-raw") / "work"
    generated = engines.generate(ROOT, DATA, work)
    result = subprocess.run(engines.command("zensical", generated.config_file, None), cwd=work,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return generated, generated.site_dir


def _refused(zensical_raw, tmp_path, spoil) -> str:
    generated, raw = zensical_raw
    built = tmp_path / "built"
    shutil.copytree(raw, built)
    spoil(built)
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("前のサイト", encoding="utf-8")
    with pytest.raises(engines.BuildFailed) as refused:
        engines.finish(built, site, generated.prepared, generated.pages)
    assert [p.name for p in site.iterdir()] == ["previous.html"]  # the previous site as it was
    return str(refused.value)


def test_finish_refuses_a_folder_missing_a_page(zensical_raw, tmp_path):
    message = _refused(zensical_raw, tmp_path, lambda built: (built / "agencies" / "incl" / "index.html").unlink())
    assert "公開しません" in message and "agencies/incl/index.html（generated: agencies/incl.md）がありません" in message
    assert "ページの数が違います" in message


def test_finish_refuses_a_page_that_still_holds_template_syntax(zensical_raw, tmp_path):
    def spoil(built):
        page = built / "residents" / "index.html"
        page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>{{ guide.site.title | mdi }}</p></article>"),
                        encoding="utf-8")
    message = _refused(zensical_raw, tmp_path, spoil)
    assert "residents/index.html にテンプレートの書き方「{{ guide.site.title | mdi }}」がそのまま残っています" in message


def test_finish_makes_a_whole_folder_the_site(zensical_raw, tmp_path):
    generated, raw = zensical_raw
    built = tmp_path / "built"
    shutil.copytree(raw, built)
    assert engines.guard(built, generated.pages) == []
    engines.finish(built, tmp_path / "site", generated.prepared, generated.pages)
    assert not built.exists() and (tmp_path / "site" / published.SEARCH_INDEX).is_file()


def test_guard_reads_code_as_text_and_counts_extra_pages(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>書き方は <code>{{ guide.site.city }}</code> です</p>", encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text("<p>ok</p>", encoding="utf-8")
    assert engines.guard(tmp_path, {"a/index.html": "docs/a.md", "b/index.html": "docs/b.md"}) == []
    problems = engines.guard(tmp_path, {"a/index.html": "docs/a.md"})
    assert problems == ["ページの数が違います: データからは 1 ページ、作られたのは 2 ページ（データにないページ: b/index.html）。"]


def test_the_hook_refuses_to_publish_a_page_with_template_syntax_left(tmp_path):
    """MkDocs runs the same guard: a hand-written page that prints template syntax as text is refused."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "docs", "overrides", "hooks", "tsunagu", "data"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    page = project / "docs" / "closure.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{% raw %}{{ guide.site.title }}{% endraw %}\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "previous.html").write_text("前のサイト", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=project,
                            capture_output=True, text=True, timeout=900, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "closure/index.html にテンプレートの書き方「{{ guide.site.title }}」がそのまま残っています" in result.stdout + result.stderr
    assert [p.name for p in site.iterdir()] == ["previous.html"]


def test_an_unknown_engine_is_a_usage_error_in_japanese(capsys):
    from tsunagu.cli import main
    assert main(["build", "--engine", "hugo", "-d", "/nonexistent"]) == 2
    assert "エンジン「hugo」は使えません" in capsys.readouterr().err


def test_the_mkdocs_hook_stays_a_thin_adapter():
    """Issue 26: every step lives in the package (engines, build), which any engine's path calls."""
    hook = (ROOT / "hooks" / "tsunagu_hooks.py").read_text(encoding="utf-8")
    assert len(hook.splitlines()) <= 150
    assert "engines.complete(" in hook and "engines.guard" not in hook  # the end of a build is one call, as finish() makes it


def test_an_engine_not_installed_is_said_in_japanese_with_the_command_that_installs_it(monkeypatch, tmp_path):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a))
    with pytest.raises(engines.BuildFailed) as failed:
        engines.build(ROOT, "zensical", tmp_path / "site")
    assert "zensical が入っていません" in str(failed.value) and 'pip install -e ".[engines]"' in str(failed.value)
    assert not (tmp_path / "site").exists()


def test_the_fictional_city_whose_structure_differs_builds_the_same_on_zensical(tmp_path):
    """Nothing above is Kamakura's alone: the tests' second-structure city (its own hub, flows, areas,
    several-field categories) has the same pages and articles on Zensical as on MkDocs."""
    second = ROOT / "tests" / "fixtures" / "second_city"
    mkdocs_site, zensical_site = tmp_path / "mkdocs", tmp_path / "zensical"
    from conftest import mkdocs_build
    assert mkdocs_build(second, mkdocs_site).returncode == 0
    result = tsunagu_build("zensical", zensical_site, second)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    urls = site_pages(mkdocs_site)
    assert site_pages(zensical_site) == urls and len(urls) > 30
    for url in urls:
        rel = url if url.endswith(".html") else url + "index.html"
        assert _article((zensical_site / rel).read_text(encoding="utf-8")) == _article((mkdocs_site / rel).read_text(encoding="utf-8")), url


def test_a_moved_pages_markdown_links_lead_where_they_did():
    moved = engines._moved_links("[a](support-flow.md) [b](meetings/index.md#x) [c](https://x.y/) [d](#top) [e](/abs) "
                                 "![i](img/a.png)\n[r]: other.md\n")
    assert moved == ("[a](../support-flow/index.md) [b](../meetings/index.md#x) [c](https://x.y/) [d](#top) [e](/abs) "
                     "![i](../img/a.png)\n[r]: ../other/index.md\n")
