"""The offline copy: the built site as a zip that works unzipped, opened from file:// with no network.

What changes in the copy (the published site is left as it is):
- links to a folder ("agencies/", "../", "./#x") point at its index.html, because a browser
  shows a folder listing, not index.html, for a file:// folder;
- the search index is also written as a script (search/index.js), and a small shim
  (search/offline.js, loaded before search.js) answers search.js' fetch of search/index.json
  from it: browsers refuse fetch() of file:// URLs;
- the index's page URLs point at index.html too, since search.js links its results with them.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

from ..site.published import OFFLINE_ZIP, SEARCH_INDEX
from . import child

FOLDER = "offline"  # the folder the zip unpacks into
INDEX_SCRIPT = "search/index.js"
SHIM_SCRIPT = "search/offline.js"
# The 404 page links from the site's root ("/..."), which a file:// copy does not have; a browser
# never shows it from a folder anyway.
LEFT_OUT = {"404.html"}
# Source maps of the theme's scripts and styles serve only a developer's browser tools.
LEFT_OUT_SUFFIXES = (".map", ".part")

# href/src/action attribute values in double or single quotes
_ATTR = re.compile(r"""(\s(?:href|src|action)=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_ZIP_LINK = re.compile(r'<a href="[^"]*?' + re.escape(OFFLINE_ZIP) + r'">(.*?)</a>', re.DOTALL)
_SEARCH_JS = re.compile(r"""<script\b[^>]*?\ssrc=["']([^"']*?)assets/javascripts/search\.js[^"']*["'][^>]*></script>""")

SHIM = """// tsunagu offline copy: browsers refuse fetch() of file:// URLs, so the search index comes as a script.
(function () {
  var realFetch = window.fetch;
  var loading = null;
  window.fetch = function (url) {
    if (typeof url === "string" && /search\\/index\\.json$/.test(url)) {
      if (!loading) {
        loading = new Promise(function (resolve, reject) {
          var s = document.createElement("script");
          s.src = url.replace(/\\.json$/, ".js");
          s.onload = function () { resolve(window.TSUNAGU_SEARCH_INDEX); };
          s.onerror = reject;
          document.head.appendChild(s);
        });
      }
      return loading.then(function (index) {
        return new Response(JSON.stringify(index), { headers: { "Content-Type": "application/json" } });
      });
    }
    return realFetch.apply(this, arguments);
  };
})();
"""


def local_url(value: str) -> str:
    """A relative link to a folder, made to name its index.html: "a/" -> "a/index.html",
    "../#x" -> "../index.html#x", "./" -> "index.html". Anything else is returned as it is."""
    if not value or value.startswith(("#", "/", "?")) or _SCHEME.match(value):
        return value
    path, hash_, fragment = value.partition("#")
    path, query_, query = path.partition("?")
    if path in (".", "./"):
        path = "index.html"
    elif path.endswith("/"):
        path += "index.html"
    elif path.rsplit("/", 1)[-1] in (".", ".."):
        path += "/index.html"
    else:
        return value
    return path + (query_ + query) + (hash_ + fragment)


def rewrite_html(html: str) -> str:
    """A page of the built site as the offline copy has it."""
    html = _ZIP_LINK.sub(r"\1", html)  # the copy does not hold itself: its link becomes text
    html = _ATTR.sub(lambda m: m.group(1) + m.group(2) + local_url(m.group(3)) + m.group(2), html)
    return _SEARCH_JS.sub(lambda m: f'<script src="{m.group(1)}{SHIM_SCRIPT}"></script>\n{m.group(0)}', html)


def index_script(index_json: str) -> str:
    index = json.loads(index_json)
    for page in index.get("pages", []):
        page["u"] = local_url(page["u"]) if page["u"] else "index.html"
    return "window.TSUNAGU_SEARCH_INDEX = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n"


def _add_page(zf: zipfile.ZipFile, rel: str, html: str) -> None:
    zf.writestr(f"{FOLDER}/{rel}", rewrite_html(html))


def _add_files(zf: zipfile.ZipFile, site_dir: Path, target: Path, done: set[str], pages: bool = True) -> None:
    """Every file of the built site not yet in the zip (done: paths under site_dir, added to as
    files are written); with pages=False, no .html file."""
    skip = {target.resolve(), _partial(target).resolve(), (site_dir / OFFLINE_ZIP).resolve()}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if (rel in done or rel in LEFT_OUT or path.name.endswith(LEFT_OUT_SUFFIXES) or not path.is_file()
                or path.resolve() in skip):
            continue
        if path.suffix == ".html":
            if not pages:
                continue
            _add_page(zf, rel, path.read_text(encoding="utf-8"))
        else:
            zf.write(path, f"{FOLDER}/{rel}")
        done.add(rel)


def _add_rest(zf: zipfile.ZipFile, site_dir: Path, target: Path, done: set[str]) -> None:
    """Every file of the built site not yet in the zip, and the search index as a script with its shim."""
    _add_files(zf, site_dir, target, done)
    index = site_dir / SEARCH_INDEX
    if index.exists():
        zf.writestr(f"{FOLDER}/{INDEX_SCRIPT}", index_script(index.read_text(encoding="utf-8")))
        zf.writestr(f"{FOLDER}/{SHIM_SCRIPT}", SHIM)


def _partial(target: Path) -> Path:
    """Where the zip is written before it is whole: a dot file, which MkDocs' cleaning of the site
    folder at the start of a build leaves alone (the zip process may have opened it by then)."""
    return target.with_name(f".{target.name}.part")


def _zip_file(path: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)


def write_zip(site_dir: Path, target: Path) -> Path:
    """Zip the built site at site_dir, as the offline copy, to target (written whole, then moved)."""
    site_dir, target = Path(site_dir), Path(target)
    partial = _partial(target)
    with _zip_file(partial) as zf:
        _add_rest(zf, site_dir, target, set())
    partial.replace(target)
    return target


class ZipJob:
    """The offline copy written by a second process while MkDocs writes the pages: each page is
    handed over as it is finished (rewriting and compressing every page was a tenth of a build),
    the rest of the site's files at the end. finish() waits for it; cancel() stops it.

    The process is fed through a pipe by a thread of this one, so that handing a page over never
    waits for the zip."""

    def __init__(self, site_dir: Path, target: Path):
        self._proc = child.start("outputs.offline", "_zip_worker", [str(site_dir), str(target)],
                                 stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        self._pages: queue.SimpleQueue = queue.SimpleQueue()
        self._theme_sent = False
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        pipe = self._proc.stdin
        try:
            while (item := self._pages.get()) is not None:
                if item == _THEME_FILES:
                    pipe.write(b"theme\n")
                    continue
                rel, html = (part.encode("utf-8") for part in item)
                pipe.write(b"page %d %d\n" % (len(rel), len(html)) + rel + html)
            pipe.write(b"end\n")
            pipe.close()
        except OSError:  # the process is gone: finish() reports it
            pass

    def page(self, rel: str, html: str) -> None:
        """A page as MkDocs writes it at rel ("agencies/x/index.html") in the site folder."""
        if not self._theme_sent:
            # by its first page MkDocs has copied the theme's files, which nothing later changes:
            # the zip takes them now, not at the end
            self._pages.put(_THEME_FILES)
            self._theme_sent = True
        if rel not in LEFT_OUT:
            self._pages.put((rel, html))

    def finish(self) -> None:
        self._pages.put(None)
        self._feeder.join()
        err = self._proc.stderr.read()
        self._proc.wait()
        if self._proc.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            raise OSError(f"offline.zip: {lines[-1] if lines else self._proc.returncode}")

    def cancel(self) -> None:
        self._proc.kill()
        self._pages.put(None)
        self._feeder.join()
        self._proc.stderr.close()
        self._proc.wait()


_THEME_FILES = "theme"


def _zip_worker(site_dir: str, target: str) -> None:
    """ZipJob's process, reading its standard input: "page <bytes of path> <bytes of html>\\n" and
    both, or "theme\\n" (every file now in the folder but pages), then "end\\n": the rest of the
    site, and the zip is done. Without "end" (the build was killed) no zip is left."""
    site, out = Path(site_dir), Path(target)
    partial = _partial(out)
    done: set[str] = set()
    source = sys.stdin.buffer
    with _zip_file(partial) as zf:
        while (header := source.readline()) != b"end\n":
            if not header:  # the build was stopped or killed: nobody will take the zip
                zf.close()
                partial.unlink(missing_ok=True)
                sys.exit(1)
            kind, *sizes = header.split()
            if kind == b"theme":
                _add_files(zf, site, out, done, pages=False)
                continue
            rel = source.read(int(sizes[0])).decode("utf-8")
            _add_page(zf, rel, source.read(int(sizes[1])).decode("utf-8"))
            done.add(rel)
        _add_rest(zf, site, out, done)
    partial.replace(out)
