"""Search benchmark (not a test): hits on the query files, index size, first-search download,
and median time from the last keystroke to results, in headless Chromium.

    .venv/bin/python bench/search_benchmark.py [--queries bench/queries.tsv]
        [--kana-queries bench/kana_queries.tsv] [--runs 3]

Builds the site from data/ into a temporary folder and serves it on 127.0.0.1. Runs in the
project's .venv as the README's test set-up makes it (Playwright and pytest come with `.[test]`);
the browser is TSUNAGU_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium. The query files:
bench/queries.tsv, a copy of the 20 natural questions of ../shared/search/, and
bench/kana_queries.tsv, queries typed in kana or half in kana (search by reading, issue 24), each
scored on its own; the timing is over both.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM_ARGS  # noqa: E402
from test_search import read_queries  # noqa: E402


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def typed(tab, queries: list[tuple[str, list[str]]], runs: int, times: list[float]) -> tuple[int, list[str]]:
    """Type each query into the header box runs times, the last keystroke to results added to
    times; how many queries have one of their words in a top-3 title, and the others."""
    hits, misses = 0, []
    for query, words in queries:
        for _ in range(runs):
            tab.fill("#ts-search-input", "")
            tab.click("#ts-search-input")
            tab.keyboard.type(query[:-1])
            tab.evaluate("() => document.querySelector('[data-ts-search]').removeAttribute('data-search-done')")
            start = tab.evaluate("() => performance.now()")
            tab.keyboard.type(query[-1])
            tab.wait_for_function("q => document.querySelector('[data-ts-search]').getAttribute('data-search-done') === q",
                                  arg=query)
            times.append(tab.evaluate("() => performance.now()") - start)
        titles = tab.eval_on_selector_all("[data-search-results] li a", "els => els.slice(0, 3).map(e => e.textContent)")
        if any(w in t for t in titles for w in words):
            hits += 1
        else:
            misses.append(f"{query}: {titles}")
    return hits, misses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", default=str(ROOT / "bench" / "queries.tsv"),
                        help="query<TAB>words lines (default: bench/queries.tsv)")
    parser.add_argument("--kana-queries", default=str(ROOT / "bench" / "kana_queries.tsv"),
                        help="a second file of the same form, scored apart (default: bench/kana_queries.tsv; '' for none)")
    parser.add_argument("--runs", type=int, default=3, help="times each query is typed for the timing")
    args = parser.parse_args()
    sets = [(Path(f), read_queries(Path(f))) for f in (args.queries, args.kana_queries) if f]

    site = Path(tempfile.mkdtemp()) / "site"
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    index = (site / "search" / "index.json").read_bytes()
    script = (site / "assets" / "javascripts" / "search.js").read_bytes()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = os.environ.get("TSUNAGU_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # bytes a first search downloads: everything fetched after the page has loaded, up to the results
        tab = browser.new_page()
        tab.goto(base, wait_until="networkidle")
        fetched: list[int] = []
        tab.on("response", lambda r: fetched.append(len(r.body())) if r.ok else None)
        tab.click("#ts-search-input")
        tab.keyboard.type("相談")
        tab.wait_for_function("() => document.querySelector('[data-ts-search]').getAttribute('data-search-done')")
        first_search = sum(fetched)

        times: list[float] = []
        scores = [(path, *typed(tab, queries, args.runs, times), len(queries)) for path, queries in sets]
        browser.close()
    server.shutdown()

    for path, hits, misses, total in scores:
        print(f"{path.name}: queries answered in the top 3: {hits}/{total}")
        for miss in misses:
            print(f"  not in the top 3: {miss}")
    readings = json.dumps(json.loads(index).get("readings", {}), ensure_ascii=False, separators=(",", ":")).encode()
    print(f"index: {len(index):,} bytes raw, {len(gzip.compress(index)):,} bytes gzipped "
          f"(of which the readings {len(readings):,} raw, {len(gzip.compress(readings)):,} gzipped alone)")
    print(f"search.js: {len(script):,} bytes raw, {len(gzip.compress(script)):,} bytes gzipped (loaded with every page)")
    print(f"first search downloads: {first_search:,} bytes (uncompressed, as served here)")
    print(f"last keystroke to results: median {statistics.median(times):.0f} ms "
          f"(includes the 120 ms typing pause), max {max(times):.0f} ms, {len(times)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
