"""Search benchmark (not a test): hits on the query file, index size, first-search download,
and median time from the last keystroke to results, in headless Chromium.

    .venv/bin/python bench/search_benchmark.py [--queries bench/queries.tsv] [--runs 3]

Builds the site from data/ into a temporary folder and serves it on 127.0.0.1. Runs in the
project's .venv as the README's test set-up makes it (Playwright and pytest come with `.[test]`);
the browser is TSUNAGU_CHROMIUM, else `chromium` on PATH, else /usr/bin/chromium. The default
query file is bench/queries.tsv, a copy of the 20 natural questions of ../shared/search/.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", default=str(ROOT / "bench" / "queries.tsv"),
                        help="query<TAB>words lines (default: bench/queries.tsv)")
    parser.add_argument("--runs", type=int, default=3, help="times each query is typed for the timing")
    args = parser.parse_args()
    queries = read_queries(Path(args.queries))

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

        hits, times, misses = 0, [], []
        for query, words in queries:
            for run in range(args.runs):
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
            found = any(w in t for t in titles for w in words)
            hits += found
            if not found:
                misses.append(f"{query}: {titles}")
        browser.close()
    server.shutdown()

    print(f"queries answered in the top 3: {hits}/{len(queries)}")
    for miss in misses:
        print(f"  not in the top 3: {miss}")
    print(f"index: {len(index):,} bytes raw, {len(gzip.compress(index)):,} bytes gzipped")
    print(f"search.js: {len(script):,} bytes raw, {len(gzip.compress(script)):,} bytes gzipped (loaded with every page)")
    print(f"first search downloads: {first_search:,} bytes (uncompressed, as served here)")
    print(f"last keystroke to results: median {statistics.median(times):.0f} ms "
          f"(includes the 120 ms typing pause), max {max(times):.0f} ms, {len(times)} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
