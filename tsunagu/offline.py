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
import re
import zipfile
from pathlib import Path

from .export import OFFLINE_ZIP
from .pages import SEARCH_INDEX

FOLDER = "offline"  # the folder the zip unpacks into
INDEX_SCRIPT = "search/index.js"
SHIM_SCRIPT = "search/offline.js"
# The 404 page links from the site's root ("/..."), which a file:// copy does not have; a browser
# never shows it from a folder anyway.
LEFT_OUT = {"404.html"}

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


def write_zip(site_dir: Path, target: Path) -> Path:
    """Zip the built site at site_dir, as the offline copy, to target (written whole, then moved)."""
    site_dir, target = Path(site_dir), Path(target)
    partial = target.with_name(target.name + ".part")
    skip = {target.resolve(), partial.resolve(), (site_dir / OFFLINE_ZIP).resolve()}
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(site_dir.rglob("*")):
            rel = path.relative_to(site_dir).as_posix()
            if not path.is_file() or path.resolve() in skip or path.name.endswith(".part") or rel in LEFT_OUT:
                continue
            name = f"{FOLDER}/{rel}"
            if path.suffix == ".html":
                zf.writestr(name, rewrite_html(path.read_text(encoding="utf-8")))
            else:
                zf.write(path, name)
        index = site_dir / SEARCH_INDEX
        if index.exists():
            zf.writestr(f"{FOLDER}/{INDEX_SCRIPT}", index_script(index.read_text(encoding="utf-8")))
            zf.writestr(f"{FOLDER}/{SHIM_SCRIPT}", SHIM)
    partial.replace(target)
    return target
