"""Fuzz data text with Markdown, extension, HTML and template syntax; build the mutants `check`
accepts and open their pages in Chromium (issue 18).

Each case is a city's data (Kamakura's by default) with a few text values changed: syntax fragments
put at the start, in the middle or at the end of the value (a link, an image from another host,
attr_list's `{: ... }`, a heading or list on a line of its own, a code fence, a raw tag, an entity,
a Jinja expression, md_in_html's `markdown="1"`, ...). `check` must accept it or refuse it with clean
errors (no traceback). A sample of the accepted mutants is built with `mkdocs build --strict`
(it must succeed: a check-clean data set that fails to build is a finding), its HTML is read for
event handlers, autofocus, script links, other-host sources, images, emphasis and code made from
the data, and a template expression evaluated, and every page is opened in headless Chromium,
counting dialogs and requests to any other host.

    .venv/bin/python bench/fuzz_syntax.py                    # 1,000 cases, 12 builds opened in Chromium
    .venv/bin/python bench/fuzz_syntax.py --cases 200 --builds 3 --data tests/fixtures/tiny_city
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.server
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from html.parser import HTMLParser
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tests_helpers import change_text, data_files, made_from_data  # noqa: E402
from tsunagu import DataErrors, load_guide  # noqa: E402

MARK = "tsufz"  # what the template fragment prints if anything ever evaluates data as a template
FRAGMENTS = [
    "[x](javascript:alert(1))", "](javascript:alert(2)) [x", "![i](https://evil.example/t.png)",
    "{: tabindex=0 autofocus onfocus=alert(3) }", "{ #id .cls onclick=alert(4) }", "{:", "}",
    "<script>alert(5)</script>", "<img src=https://evil.example/x onerror=alert(6)>", "`code`", "``",
    "*em*", "_u_", "**b**", "__b__", "# h", "見出し ##", "\n\n# h\n\n", "\n- li\n", "\n1. li\n", "\n    code\n",
    "\n~~~\n", "\n```\n", "[TOC]", "| a | b |\n|--|--|\n| c | d |", "<https://evil.example/>",
    "[n](nope.md)", "\n[r]: https://evil.example/\n", "*[abbr]: x", "{{ 'tsu' ~ 'fz' }}", "{% raw %}",
    "{# c #}", "&#x3C;script&#x3E;", "&lt;b&gt;", "&amp;", "\\", "\\*", "<!-- c -->", "</p></div>",
    '<div markdown="1">*x*</div>', "  \n", "!!! note", "[^1]", "==x==", "~~s~~", "\n===\n", "\n---\n",
    "> q", "+ p", "0467-61-3436", "1. ", "|", "'", '"', "<", ">", "&",
]
TIMEOUT = 600


# ----------------------------------------------------------------------------
# Mutating the data
# ----------------------------------------------------------------------------


def _syntax(rnd: random.Random) -> str:
    return "".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 4)))


def mutate(base: Path, data: Path, rnd: random.Random) -> int:
    """A copy of base in data with up to a third of the text values of one to three files changed;
    a value the file's model refuses with syntax in it (an id, a phone number, a URL) keeps its own.
    Returns how many values carry syntax."""
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(base, data)
    files = data_files(data)

    def change(value: str) -> str:
        cut = rnd.choice(("start", "middle", "end"))
        at = 0 if cut == "start" else len(value) if cut == "end" else rnd.randint(0, len(value))
        return value[:at] + _syntax(rnd) + value[at:]

    def choose(places: list) -> list:
        return rnd.sample(places, k=rnd.randint(1, max(1, len(places) // 3))) if places else []

    return sum(change_text(path, change, choose) for path in rnd.sample(files, k=min(len(files), rnd.randint(1, 3))))


# ----------------------------------------------------------------------------
# Reading and opening a built mutant
# ----------------------------------------------------------------------------


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple] = []
        self.counts: collections.Counter = collections.Counter()

    def handle_starttag(self, tag, attrs):
        self.counts[tag] += 1
        self.found += made_from_data(tag, attrs)


def read_site(site: Path, clean: Path) -> list[str]:
    """Findings in a built mutant: markup made from data, compared page by page with the clean build
    (images, emphasis, code and raw elements the clean page does not have)."""
    findings = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        html = page.read_text(encoding="utf-8")
        reader = _Reader()
        reader.feed(html)
        base = _Reader()
        if (clean / rel).exists():
            base.feed((clean / rel).read_text(encoding="utf-8"))
        for tag in ("img", "em", "strong", "code", "pre", "script", "div", "abbr", "sup", "hr", "blockquote"):
            if reader.counts[tag] > base.counts[tag]:
                findings.append(f"{rel}: <{tag}> x{reader.counts[tag] - base.counts[tag]}")
        findings += [f"{rel}: {f}" for f in reader.found]
        if MARK in html:
            findings.append(f"{rel}: a template expression in the data was evaluated")
    return findings


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early is not a finding


def open_in_browser(browser, site: Path) -> tuple[int, list[str]]:
    """Open every page; returns (pages opened, dialogs and requests to another host)."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    findings: list[str] = []
    context = browser.new_context()
    context.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else findings.append(f"request {r.url}"))
    tab = context.new_page()
    tab.on("dialog", lambda d: (findings.append(f"dialog on {tab.url}: {d.message}"), d.dismiss()))
    pages = sorted(site.rglob("*.html"))
    try:
        for page in pages:
            rel = page.relative_to(site).as_posix()
            tab.goto(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel), wait_until="load")
    finally:
        context.close()
        server.shutdown()
    return len(pages), findings


def build(data: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TSUNAGU_DATA": str(data), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)


# ----------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--builds", type=int, default=12, help="check-clean mutants built and opened in Chromium")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp())
    counts: collections.Counter = collections.Counter()
    findings: list[str] = []
    start = time.monotonic()
    clean = tmp / "clean"
    result = build(args.data.resolve(), clean)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    built_pages = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        build_every = max(1, args.cases // max(1, args.builds))
        for case in range(args.cases):
            data = tmp / "data"
            counts["values with syntax"] += mutate(args.data.resolve(), data, rnd)
            try:
                load_guide(data)
            except DataErrors as exc:
                counts["refused by check"] += 1
                if any("Traceback" in e.format() for e in exc.errors):
                    findings.append(f"case {case}: a traceback in an error")
                continue
            except Exception:  # noqa: BLE001 - any other exception is a finding
                counts["tracebacks"] += 1
                findings.append(f"case {case}: {traceback.format_exc(limit=3)}")
                continue
            counts["accepted by check"] += 1
            if case % build_every or counts["built"] >= args.builds:
                continue
            site = tmp / f"site-{case}"
            result = build(data, site)
            if result.returncode != 0:
                counts["build failures"] += 1
                findings.append(f"case {case}: check accepted it, the build failed:\n{result.stderr[-600:]}")
                continue
            counts["built"] += 1
            findings += [f"case {case}: {f}" for f in read_site(site, clean)]
            opened, seen = open_in_browser(browser, site)
            built_pages += opened
            findings += [f"case {case}: {f}" for f in seen]
            shutil.rmtree(site, ignore_errors=True)
        browser.close()
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.cases:,} cases from {args.data} in {time.monotonic() - start:.0f} s (seed {args.seed})")
    for key in ("values with syntax", "accepted by check", "refused by check", "tracebacks", "built",
                "build failures"):
        print(f"  {key}: {counts[key]:,}")
    print(f"  pages opened in Chromium: {built_pages:,}")
    print(f"  findings (markup from data, dialogs, requests to another host, failed builds): {len(findings)}")
    for f in findings[:20]:
        print("   -", f)
    return 1 if findings or counts["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
