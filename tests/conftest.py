"""Shared fixtures: Kamakura's Guide, and sites built by MkDocs from real data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tsunagu import load_guide
from tsunagu.site import published

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TINY = ROOT / "tests" / "fixtures" / "tiny_city"

# Inputs that are not the project's to publish live in ../shared/ beside the clone: the booklet's
# text (facts are checked against its lines) and the HSDS 3.0 schemas (the open data is validated
# against them). A test that needs one skips without it on a developer's machine and fails in CI.
SHARED = ROOT.parent / "shared"
BOOKLET = Path(os.environ.get("TSUNAGU_BOOKLET") or SHARED / "booklet" / "booklet.txt")
HSDS = SHARED / "hsds-3.0"


def need_shared(path: Path, what: str) -> None:
    """Skip the calling test when `path` (in ../shared/) is missing; fail instead when the CI
    environment variable is set, so CI never passes with these tests skipped."""
    if path.exists():
        return
    message = f"{what}: not found at {path} (../shared/ beside the clone)"
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{message}: CI must run this test", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_booklet() -> Path:
    """The booklet's text (see need_shared); use as @pytest.mark.usefixtures("shared_booklet")."""
    need_shared(BOOKLET, "the booklet text")
    return BOOKLET


def tool(name: str) -> str | None:
    """A command installed with the test extra: beside this Python first (a venv that is not
    activated is not on PATH), then on PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


def mkdocs_build(data_dir: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Build the site from data_dir into site_dir, as the README says, and return the process."""
    env = {**os.environ, "TSUNAGU_DATA": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def kamakura():
    return load_guide(DATA)


def built_site(tmp_path_factory, data_dir: Path, name: str) -> Path:
    """A site built once from data_dir, for every test that reads it."""
    site = tmp_path_factory.mktemp(name) / "site"
    result = mkdocs_build(data_dir, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def kamakura_site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, DATA, "kamakura")


@pytest.fixture(scope="session")
def offline_copy(kamakura_site, tmp_path_factory) -> Path:
    """The built site's offline.zip, unzipped once (read only): its offline/ folder."""
    import zipfile

    from tsunagu.outputs.offline import FOLDER
    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(kamakura_site / published.OFFLINE_ZIP) as zf:
        zf.extractall(out)
    return out / FOLDER


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    return built_site(tmp_path_factory, TINY, "tiny")


@pytest.fixture(scope="session")
def kamakura_server(kamakura_site):
    """The built site served on loopback, for linkchecker and the browser."""
    import functools
    import http.server
    import threading

    handler = functools.partial(_QuietHandler, directory=str(kamakura_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


import http.server  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass

    def end_headers(self):
        # linkchecker waits 0.1-0.6 s between requests to a host unless the host answers with this
        # header; then it keeps to LINKCHECKER_RC's rate (the whole site checked in 9 s, not 90 s)
        self.send_header("LinkChecker", "tsunagu tests")
        super().end_headers()


LINKCHECKER_RC = Path(__file__).parent / "linkcheckerrc"


# ----------------------------------------------------------------------------
# Browser: Debian's Chromium (or Playwright's own), skipped locally without one, required in CI
# ----------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _no_browser(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright is not installed (pip install -e '.[test]')")
    import shutil
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        if not Path(exe).exists():
            try:
                exe = p.chromium.executable_path
            except Exception:  # noqa: BLE001 - any failure means no browser here
                exe = ""
            if not exe or not Path(exe).exists():
                _no_browser("no Chromium found: apt-get install chromium fonts-noto-cjk")
        instance = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths ("", "agencies/", "404.html")."""
    out = []
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


@pytest.fixture(scope="session")
def reflow_320(browser, kamakura_server, kamakura_site) -> dict[str, dict[bool, int]]:
    """Every page at 320 x 640 CSS px, opened once: how many pixels it scrolls sideways (0: none) with
    the readings (ふりがな) hidden and shown, as {url: {shown: pixels}}. The switch is flipped in the page,
    measured, and flipped back; a page without the switch (the booklet's print page, which has no readings)
    counts as hidden. One visit serves test_browser.py and test_ruby.py (two visits took 18 s more)."""
    wide = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    # the switch's state, and whether the article's first reading is drawn (null: no switch)
    state = """() => { const e = document.getElementById('ts-furigana'); if (!e) return null;
        const rt = [...document.querySelectorAll('article rt')].find(r => r.parentElement.getClientRects().length);
        const drawn = !!rt && getComputedStyle(rt).display !== 'none' && getComputedStyle(rt, '::before').content.includes(rt.dataset.r);
        return [e.checked, drawn]; }"""
    flip = "() => document.getElementById('ts-furigana').click()"
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    found: dict[str, dict[bool, int]] = {}
    for url in site_pages(kamakura_site):
        tab.goto(kamakura_server + url)
        first = tab.evaluate(state)
        if first is None:
            found[url] = {False: tab.evaluate(wide)}
            continue
        assert first[0] == first[1], f"/{url}: the switch {first[0]}, readings drawn {first[1]}"
        found[url] = {first[0]: tab.evaluate(wide)}
        tab.evaluate(flip)
        assert tab.evaluate(state) == [not first[0]] * 2, url
        found[url][not first[0]] = tab.evaluate(wide)
        tab.evaluate(flip)
    context.close()
    return found


# ----------------------------------------------------------------------------
# The accessibility run: each check adds what it measured; the whole run can be recorded
# ----------------------------------------------------------------------------

RESULTS_FILE = DATA / "accessibility-results.json"
RUN_PARTS = {"axe", "requests", "reflow", "zoom", "keyboard", "focus", "validator", "walk", "titles", "tree"}


class A11yRun:
    def __init__(self):
        self.parts: set[str] = set()
        self.tools: dict[str, dict] = {}
        self.pages: set[str] = set()
        self.axe: list[dict] = []
        self.checks: dict[str, list[tuple[str, str]]] = {}  # criterion -> [(status, check name)]

    def tool(self, name: str, version: str, checks: str):
        self.tools[name] = {"name": name, "version": version, "checks": checks}

    def check(self, part: str, criterion: str, passed: bool, name: str):
        self.parts.add(part)
        self.checks.setdefault(criterion, []).append(("pass" if passed else "fail", name))

    def as_run(self):
        import datetime as dt

        from tsunagu.data.a11y import Run, combine, summarise_axe
        statuses = summarise_axe(self.axe)
        criteria = {}
        for crit in sorted(set(statuses) | set(self.checks), key=lambda c: [int(x) for x in c.split(".")]):
            seen = statuses.get(crit, []) + [s for s, _ in self.checks.get(crit, [])]
            by = (["axe-core"] if crit in statuses else []) + sorted({n for _, n in self.checks.get(crit, [])})
            criteria[crit] = {"status": combine(seen), "checked_by": by, "violations": seen.count("fail")}
        return Run(date=dt.date.today().isoformat(), tools=list(self.tools.values()), pages=sorted(self.pages),
                   violations=sum(len(r.get("violations", [])) for r in self.axe), criteria=criteria)


@pytest.fixture(scope="session")
def a11y_run():
    run = A11yRun()
    yield run
    if os.environ.get("TSUNAGU_RECORD_A11Y") == "1" and run.parts >= RUN_PARTS:
        RESULTS_FILE.write_text(run.as_run().model_dump_json(indent=1) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    """Report how many fuzzed data sets the loader met (see test_fuzz_loader)."""
    try:
        from test_fuzz_loader import CASES
    except ImportError:
        return
    if CASES["run"]:
        terminalreporter.write_line(
            f"fuzzed loader: {CASES['run']} cases, {CASES['valid']} valid guides, {CASES['errors']} clean error reports")
