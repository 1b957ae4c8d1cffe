"""Amplification benchmark (not a test): small data that could make a build or a search slow.

    .venv/bin/python bench/amplification_benchmark.py [--data data] [--terms 20000] [--means 24000] [--runs 3]
                                             [--search-js PATH]

1. Glossary: the city's data built as it is, and built again with --terms generated glossary
   terms added (issue 18: 20,000 terms in 0.93 MB once took 48 s against 2.4 s). The terms are
   made to be hard for the linker: each starts with two characters that occur often in the
   city's pages and ends with two that make it a word no page holds, so nearly every position
   of every page starts a partial match. Builds are interleaved, without the booklet's PDF (its
   printing runs beside the build and does not depend on the glossary); medians are printed.
2. Search: search.js under Node with the site's index and one synonym of 相談 whose --means words
   occur on no page (issue 18: the query 相談 froze a tab for 37.6 s); the time of one search,
   median of --runs, and the number of spellings searched. --search-js times another copy of
   search.js (an older one, for a before/after figure).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_benchmark import build_plain, plain_twin  # noqa: E402
SEARCH_JS = ROOT / "overrides" / "assets" / "javascripts" / "search.js"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TSUNAGU_CHROMIUM": "/nonexistent/chromium"}
KANJI = re.compile(r"[\u4e00-\u9fff]{2}")

# ----------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------


def _city_text(data: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(data.rglob("*.yml")))


def _unused_words(text: str, n: int, rng: random.Random, common: bool) -> list[str]:
    """n distinct words of four kanji that the city's text does not hold: two common ones
    (a frequent pair of the text, if common) and two that make the word new."""
    pairs = [p for p, _ in collections.Counter(KANJI.findall(text)).most_common(200)]
    chars = sorted({c for p in pairs for c in p})
    out: set[str] = set()
    while len(out) < n:
        head = rng.choice(pairs) if common else rng.choice(chars) + rng.choice(chars)
        word = head + rng.choice(chars) + rng.choice(chars)
        if word not in text:
            out.add(word)
    return sorted(out)


def _base36(i: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(4):
        i, r = divmod(i, 36)
        out = digits[r] + out
    return out


def glossary_city(data: Path, target: Path, n: int) -> int:
    """A copy of the city's data with n generated glossary terms; returns glossary.yml's bytes."""
    shutil.copytree(data, target)
    rng = random.Random(18)
    words = _unused_words(_city_text(data), n, rng, common=True)
    path = target / "glossary.yml"
    text = path.read_text(encoding="utf-8") if path.exists() else "terms:\n"
    # flow style, one term a line, to stay under the 1 MB a data file may hold
    lines = [f"  - {{id: g{_base36(i)},term: {w},plain: 説}}" for i, w in enumerate(words)]
    path.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path.stat().st_size


def build(data: Path, site: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                            cwd=ROOT, env={**ENV, "TSUNAGU_DATA": str(data)}, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"build of {data} failed:\n{result.stderr[-3000:]}")
    return wall


# ----------------------------------------------------------------------------
# Search under Node
# ----------------------------------------------------------------------------

_NODE_SCRIPT = r"""
const fs = require("fs");
const s = require(process.argv[1]);
const index = s.prepare(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const runs = +process.argv[4];
index.words = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = {};
for (const q of ["相談", "不登校の娘"]) {
  const times = [];
  let results;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    results = s.search(index, q, 10);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const list = s.terms(q, index.words).list;
  out[q] = {times: times, results: results.total || results.length,
            spellings: list.reduce((n, t) => n + t.alts.length, 0)};
}
console.log(JSON.stringify(out));
"""


def search_times(site: Path, data: Path, means: int, runs: int, search_js: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from tsunagu import load_guide
    from tsunagu.site.search import normalise, word_table
    table = word_table(load_guide(data).search_terms)
    text = normalise((site / "search" / "index.json").read_text(encoding="utf-8"))
    words = _unused_words(text, means, random.Random(24), common=False)
    table["synonyms"].append([["相談"], words])
    with tempfile.TemporaryDirectory(prefix="tsunagu-amp-") as tmp:
        words_file = Path(tmp) / "words.json"
        words_file.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        node = shutil.which("node") or shutil.which("nodejs")
        if not node:
            raise SystemExit("Node.js is needed for the search part (apt-get install nodejs)")
        result = subprocess.run([node, "-e", _NODE_SCRIPT, str(search_js.resolve()), str(site / "search" / "index.json"),
                                 str(words_file), str(runs)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--terms", type=int, default=20_000)
    parser.add_argument("--means", type=int, default=24_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search-js", type=Path, default=SEARCH_JS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tsunagu-amp-") as tmp:
        work = Path(tmp)
        size = glossary_city(args.data, work / "terms", args.terms)
        print(f"glossary.yml with {args.terms:,} generated terms: {size:,} bytes")
        # plain MkDocs + Material with the same pages (scale_benchmark's twin of the site with the
        # terms: the same paths, headings and article sizes, the glossary's 20,000 headings included)
        build(work / "terms", work / "terms-site")
        twin = plain_twin(work / "terms-site", work / "terms", work / "twin")
        plain, terms, twins = [], [], []
        for run in range(args.runs):
            plain.append(build(args.data, work / "plain-site"))
            terms.append(build(work / "terms", work / "terms-site"))
            twins.append(build_plain(twin, work / "twin-site")[0])
            print(f"  run {run + 1}: without {plain[-1]:.2f} s, with the terms {terms[-1]:.2f} s, "
                  f"plain MkDocs with the same pages {twins[-1]:.2f} s")
        p, t, w = statistics.median(plain), statistics.median(terms), statistics.median(twins)
        print(f"build, median of {args.runs}: without the terms {p:.2f} s, with {args.terms:,} terms {t:.2f} s "
              f"({t / p:.2f}x), plain MkDocs + Material with the same pages {w:.2f} s: "
              f"tsunagu / plain {t / w:.2f}x (target < 2x)")
        found = search_times(work / "plain-site", args.data, args.means, args.runs, args.search_js)
        for query, r in found.items():
            print(f"search.js {args.search_js.name}, one synonym of 相談 with {args.means:,} unmatched words, "
                  f"query {query}: median {statistics.median(r['times']):.1f} ms "
                  f"(runs {', '.join(f'{x:.1f}' for x in r['times'])}), {r['spellings']} spellings searched, "
                  f"{r['results']} pages found (target < 200 ms)")


if __name__ == "__main__":
    main()
