"""Scale benchmark (not a test): tsunagu beside plain MkDocs + Material at 1x, 10x and 100x a city.

    python3 bench/scale_benchmark.py [--data data] [--sizes 1 10 100] [--runs 3] [--no-serve]

For each size it writes a scaled copy of the city's data (every agency, case and meeting repeated
per category with new ids; from 10x on, every programme names every category, the issue-14 case),
builds it with tsunagu (`mkdocs build --strict`), and next to it a plain MkDocs + Material site
with the same page paths and the same article sizes (plain Markdown, a nav of sections only,
Material's own search). Builds are interleaved; the figures are medians. tsunagu is built twice a
run: first with an empty cache (TSUNAGU_CACHE), so that the booklet's PDF and the offline zip are
made as after a change of the data, then again with the same data (repeated: both copied from the
cache, and the prepared site and each page's steps read from the build's memo). Printed per size:
pages, wall time of each tsunagu build and of plain, their ratios to plain, and of the first build
ms per page, peak memory (maxrss of the build process), site size and search index raw and
gzipped; and `tsunagu check` time; then the CPU time of the repeated build and of plain, steadier
than wall time on a shared machine. Then `mkdocs serve` at 1x: the time from saving an edit to one
data file until the served page shows it.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tsunagu.data import limits
from tsunagu.site import pages, published, search
from tsunagu import load_guide  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
NO_PDF = False  # --no-pdf: leave out the booklet's PDF (headless Chromium), to see the rest

# ----------------------------------------------------------------------------
# Scaled data: k copies of every agency, case and meeting, with new ids
# ----------------------------------------------------------------------------


def _copy_of(item: dict, i: int, name_key: str) -> dict:
    """The i-th copy (i >= 1) of a data item: a new id and a name that says which copy it is."""
    out = dict(item)
    out["id"] = f"{item['id']}-x{i}"
    if name_key in out:
        out[name_key] = f"{item[name_key]}（{i + 1}）"
    out.pop("areas", None)  # town lists stay with the real agency: a town has one door
    return out


def _multiply(items: list[dict], k: int, name_key: str) -> list[dict]:
    """Each item followed by its k-1 copies, so a category's agencies stay together."""
    return [copy for item in items for copy in [item] + [_copy_of(item, i, name_key) for i in range(1, k)]]


class _NoAliases(yaml.SafeDumper):
    """Copies share nested lists (phones, steps): write them out in full, as a person would."""

    def ignore_aliases(self, data):
        return True


def _dump(raw) -> str:
    return yaml.dump(raw, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=1000)


def _rewrite(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text("# yaml-language-server: $schema=schema/" + path.stem + ".json\n" + _dump(raw), encoding="utf-8")


def _multiply_within_limit(raw: dict, key: str, k: int, name_key: str) -> None:
    """raw[key] times k, or fewer copies when k would pass the loader's file-size limit (cases at 100x)."""
    items = raw[key]
    copies = k
    while True:
        raw[key] = _multiply(items, copies, name_key)
        if len(_dump(raw).encode()) < limits.FILE_BYTES * 0.98 or copies == 1:
            break
        copies = max(1, int(copies * 0.9))
    if copies < k:
        print(f"{key}: {copies} copies, not {k} (a data file is limited to {limits.FILE_BYTES:,} bytes)",
              file=sys.stderr)


def scaled_data(source: Path, target: Path, k: int, every_category: bool | None = None) -> Path:
    """A copy of a data folder at k times its size; valid data (unique ids, every reference known)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    if k == 1:
        return target
    every_category = k > 1 if every_category is None else every_category

    def agencies(raw):
        _multiply_within_limit(raw, "agencies", k, "name")

    def cases(raw):
        _multiply_within_limit(raw, "cases", k, "title")

    def meetings(raw):
        _multiply_within_limit(raw, "meetings", k, "name")

    _rewrite(target / "agencies.yml", agencies)
    if (target / "cases.yml").exists():
        _rewrite(target / "cases.yml", cases)
    if (target / "meetings.yml").exists():
        _rewrite(target / "meetings.yml", meetings)
    if every_category and (target / "programs.yml").exists():
        category_ids = [c["id"] for c in yaml.safe_load((target / "agencies.yml").read_text(encoding="utf-8"))["categories"]]

        def programs(raw):
            for p in raw["programs"]:
                named = [pr for pr in p.get("providers") or [] if not pr.get("hub")]
                if named:
                    named[0]["categories"] = list(category_ids)
                    named[0]["agencies"] = []
                    p.pop("stated_count", None)
        _rewrite(target / "programs.yml", programs)
    return target


# ----------------------------------------------------------------------------
# The plain twin: same page paths, article text of the same size, nav of sections only
# ----------------------------------------------------------------------------

_ARTICLE = re.compile(r"<article[^>]*>(.*?)</article>", re.S)


def plain_twin(tsunagu_site: Path, data_dir: Path, target: Path) -> Path:
    """A plain MkDocs + Material project with one Markdown page per tsunagu page. Returns its mkdocs.yml."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    for html in sorted(tsunagu_site.rglob("index.html")):
        rel = html.parent.relative_to(tsunagu_site).as_posix()
        src = docs / ("" if rel == "." else rel) / "index.md"
        page = html.read_text(encoding="utf-8")
        found = _ARTICLE.search(page)
        article = found.group(1) if found else ""
        title, headings, text = search.page_text(page)
        md = [f"# {title or 'page'}", ""] + [f"## {h}\n" for h in headings]
        body = text or "本文"
        # plain paragraphs up to the size of tsunagu's article HTML (tables and links included)
        while sum(len(x.encode()) for x in md) < len(article.encode()):
            md += [body[:400], ""]
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text("\n".join(md) + "\n", encoding="utf-8")
    guide = load_guide(data_dir)

    def as_index(src: str) -> str:
        return pages.PageSpec(src, "").url + "index.md"
    nav = [{title: as_index(src)} for item in pages.nav(guide) for title, src in item.items()]
    in_nav = {v for item in nav for v in item.values()}
    config = {
        "site_name": "plain", "docs_dir": "docs", "use_directory_urls": True, "strict": False,
        "theme": {"name": "material", "language": "ja", "font": False,
                  "features": ["navigation.sections", "navigation.indexes"]},
        "plugins": ["search"],
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "toc"],
        "nav": nav,
        "not_in_nav": "\n".join(f"/{p.relative_to(docs).as_posix()}" for p in sorted(docs.rglob("*.md"))
                                if p.relative_to(docs).as_posix() not in in_nav),
        "validation": {"nav": {"omitted_files": "info"}},
    }
    cfg = target / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cfg


# ----------------------------------------------------------------------------
# Measuring a build: wall time and peak memory of the child process (os.wait4)
# ----------------------------------------------------------------------------


TIME = shutil.which("time") or "/usr/bin/time"


CPU: list[float] = []  # CPU seconds (user + system) of each timed command, the last one last


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of one run of cmd; raises when it fails. Its CPU time (its own
    and its children's it waited for, such as the PDF printer) is appended to CPU: on 2 cores
    shared with other work, wall times swing by tens of percent while CPU times barely move.

    The peak comes from /usr/bin/time: Linux keeps a process's peak across exec, so a child forked
    straight from this (large) process would report this process's memory as its own."""
    with tempfile.NamedTemporaryFile(suffix=".rss") as rss:
        use_time = Path(TIME).exists()
        full = [TIME, "-f", "%M", "-o", rss.name, *cmd] if use_time else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.returncode:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
        peak_kb = int(Path(rss.name).read_text().split()[-1]) if use_time else usage.ru_maxrss
    CPU.append(usage.ru_utime + usage.ru_stime)
    return wall, peak_kb / 1024


def tsunagu_env(data_dir: Path, cache_dir: Path) -> dict:
    env = {**ENV, "TSUNAGU_DATA": str(data_dir), "TSUNAGU_CACHE": str(cache_dir)}
    if NO_PDF:
        env["TSUNAGU_CHROMIUM"] = "/nonexistent/chromium"  # the build writes the print page and no PDF
    return env


def build_tsunagu(data_dir: Path, site: Path, cache_dir: Path, first: bool = True) -> tuple[float, float]:
    """first: with the cache emptied (the PDF and the zip are made); else as it is."""
    if first:
        shutil.rmtree(cache_dir, ignore_errors=True)
    return timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                 tsunagu_env(data_dir, cache_dir), ROOT)


def phases(data_dir: Path, site: Path, work: Path, repeated: bool = False) -> list[tuple[str, float]]:
    """Where one tsunagu build spends its time (cProfile, so every figure is inflated alike): the
    hook's events, the Guide's loading, and what runs after the pages are written. repeated: the
    second of two builds of the same data (the first fills the cache), else a first build."""
    import pstats
    out = work / "profile.out"
    cache_dir = work / "profile-cache"
    shutil.rmtree(cache_dir, ignore_errors=True)  # a first build: the PDF and the zip are made
    if repeated:
        build_tsunagu(data_dir, site, cache_dir, first=False)
    timed([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
          tsunagu_env(data_dir, cache_dir), ROOT)
    stats = pstats.Stats(str(out)).stats
    total = max(ct for (_, _, _, ct, _) in stats.values())
    rows = [("whole build (profiled)", total)]
    post = None
    for key, (_, _, _, ct, _) in sorted(stats.items(), key=lambda kv: kv[0][1]):
        file, _, func = key
        if file.endswith("tsunagu_hooks.py") and func.startswith("on_") and ct > 0.01:
            rows.append((f"hook {func}", ct))
            post = key if func == "on_post_build" else post
        elif func in ("load_guide", "_populate_page", "_build_page") and ("tsunagu" in file or "mkdocs" in file):
            rows.append((func if func == "load_guide" else f"mkdocs {func}", ct))
        elif file.endswith("cache.py") and func == "__init__" and ct > 0.001:  # Memo's: reading the memo
            rows.append(("memo read", ct))
    if post:
        for key, (_, _, _, _, callers) in stats.items():
            if post in callers and callers[post][3] > 0.01:
                rows.append((f"  on_post_build -> {key[2]}", callers[post][3]))
    return rows


def build_plain(cfg: Path, site: Path) -> tuple[float, float]:
    return timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)], ENV, cfg.parent)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def gz(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


# ----------------------------------------------------------------------------
# mkdocs serve: one data edit until the served page changes
# ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def serve_rerender(data: Path, work: Path, edits: int = 3) -> list[float]:
    """Seconds from saving a changed agency name in agencies.yml until the served agency page shows it."""
    data_dir = scaled_data(data, work / "serve-data", 1)
    raw = yaml.safe_load((data_dir / "agencies.yml").read_text(encoding="utf-8"))
    first = raw["agencies"][0]
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=ROOT, env={**ENV, "TSUNAGU_DATA": str(data_dir)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/agencies/{first['id']}/"
    times = []
    try:
        deadline = time.time() + 120
        while first["name"] not in fetch(url):
            if time.time() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        time.sleep(2)  # let the watcher settle after the first build
        text = (data_dir / "agencies.yml").read_text(encoding="utf-8")
        for i in range(edits):
            marker = f"{first['name']}編集{i}"
            changed = text.replace(f"name: {first['name']}", f"name: {marker}", 1)
            start = time.perf_counter()
            (data_dir / "agencies.yml").write_text(changed, encoding="utf-8")
            while marker not in fetch(url):
                if time.perf_counter() - start > 60:
                    raise SystemExit("the served page did not change within 60 s")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
            time.sleep(1.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    return times


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data"), help="the city's data folder")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=None, help="folder for data copies and sites (default: a temporary one)")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-pdf", action="store_true", help="build without the booklet's PDF")
    parser.add_argument("--profile", action="store_true", help="also print where one build of each size spends its time")
    args = parser.parse_args()
    global NO_PDF
    NO_PDF = args.no_pdf
    work = Path(args.work or tempfile.mkdtemp(prefix="tsunagu-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    data = Path(args.data).resolve()

    setups = {}
    for k in args.sizes:
        data_dir = scaled_data(data, work / f"data-{k}", k)
        site = work / f"site-{k}"
        build_tsunagu(data_dir, site, work / f"cache-{k}")  # also warms the caches (Jinja's, the OS's)
        cfg = plain_twin(site, data_dir, work / f"plain-{k}")
        build_plain(cfg, work / f"plain-site-{k}")
        setups[k] = (data_dir, site, cfg)
        print(f"prepared {k}x", file=sys.stderr, flush=True)

    runs: dict[int, dict[str, list]] = {k: {"t": [], "r": [], "p": [], "tm": [], "pm": [], "check": [], "rc": [], "pc": []}
                                        for k in args.sizes}
    for r in range(args.runs):
        for k in args.sizes:
            data_dir, site, cfg = setups[k]
            t, tm = build_tsunagu(data_dir, site, work / f"cache-{k}", first=True)
            again, _ = build_tsunagu(data_dir, site, work / f"cache-{k}", first=False)
            again_cpu = CPU[-1]
            p, pm = build_plain(cfg, work / f"plain-site-{k}")
            p_cpu = CPU[-1]
            c, _ = timed([sys.executable, "-m", "tsunagu", "check", str(data_dir)], ENV, ROOT)
            for key, v in (("t", t), ("r", again), ("p", p), ("tm", tm), ("pm", pm), ("check", c), ("rc", again_cpu),
                           ("pc", p_cpu)):
                runs[k][key].append(v)
            print(f"run {r + 1} {k}x: tsunagu first {t:.2f} s, repeated {again:.2f} s, plain {p:.2f} s "
                  f"(CPU: repeated {again_cpu:.2f} s, plain {p_cpu:.2f} s)", file=sys.stderr, flush=True)

    print("| size | pages | tsunagu first | tsunagu repeated | plain | ratio first | ratio repeated "
          "| ms/page (tsunagu / plain) | peak MB (tsunagu / plain) "
          "| site MB (tsunagu / plain) | search index raw / gzip KB (tsunagu; plain) | check |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for k in args.sizes:
        _, site, cfg = setups[k]
        plain_site = work / f"plain-site-{k}"
        n = sum(1 for _ in site.rglob("*.html"))
        med = {key: statistics.median(v) for key, v in runs[k].items()}
        ratio = statistics.median(t / p for t, p in zip(runs[k]["t"], runs[k]["p"]))  # of each interleaved pair
        ratio_again = statistics.median(t / p for t, p in zip(runs[k]["r"], runs[k]["p"]))
        ti, tg = gz(site / published.SEARCH_INDEX)
        pi, pg = gz(plain_site / "search" / "search_index.json")
        print(f"| {k}x | {n:,} | {med['t']:.2f} s | {med['r']:.2f} s | {med['p']:.2f} s | {ratio:.2f}x | {ratio_again:.2f}x "
              f"| {1000 * med['t'] / n:.1f} / {1000 * med['p'] / n:.1f} | {med['tm']:.0f} / {med['pm']:.0f} "
              f"| {folder_bytes(site) / 1e6:.1f} / {folder_bytes(plain_site) / 1e6:.1f} "
              f"| {ti / 1024:.0f} / {tg / 1024:.0f}; {pi / 1024:.0f} / {pg / 1024:.0f} | {med['check']:.2f} s |")
    for k in args.sizes:
        cpu = statistics.median(t / p for t, p in zip(runs[k]["rc"], runs[k]["pc"]))
        print(f"{k}x repeated build, CPU time (user + system): median {statistics.median(runs[k]['rc']):.2f} s, plain "
              f"{statistics.median(runs[k]['pc']):.2f} s, ratio {cpu:.2f}x")
    for k in args.sizes:
        site = setups[k][1]
        big = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size, reverse=True)[:3]
        js = site / "assets" / "javascripts" / "search.js"
        first_search = gz(site / published.SEARCH_INDEX)[1] + (gz(js)[1] if js.exists() else 0)
        print(f"{k}x largest pages: " + ", ".join(f"{p.parent.relative_to(site).as_posix()}/ {p.stat().st_size // 1024} KB"
                                                 for p in big)
              + f"; first search downloads {first_search / 1024:.0f} KB gzipped (index + search.js)")
    if args.profile:
        for k in args.sizes:
            data_dir, site, _ = setups[k]
            for label, repeated in (("first", False), ("repeated", True)):
                print(f"{k}x {label}: " + "; ".join(f"{name} {t:.2f} s" for name, t in phases(data_dir, site, work, repeated)))
    if not args.no_serve:
        times = serve_rerender(data, work)
        print(f"mkdocs serve at 1x, data edit to changed page: median {statistics.median(times):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
