"""The booklet's PDF and the offline zip kept from one build to the next, each under a hash of
everything it is made from, so that a build whose inputs did not change copies them instead of
printing and zipping again (issue 22: the two were most of a build's time).

What each is made from (the key):
- the PDF: the print page's HTML (it decides the PDF but for the browser and the fonts), the
  browser (its path and `--version`), the installed fonts and fontconfig's settings (names, sizes,
  times), the tsunagu package's files (how the page is printed and the PDF checked), the
  Python and the installed packages;
- the zip: everything that makes the pages (the data folder, the hand-written pages, the theme's
  overrides, the hooks, mkdocs.yml, a few settings the command line can change, the tsunagu
  package's files), the Python and the installed packages (MkDocs, Material and the rest), the
  build date (MkDocs writes it into the sitemap) and the PDF's key (the zip holds the PDF).

The cache is a folder (TSUNAGU_CACHE, else .tsunagu-cache beside mkdocs.yml) with one entry per
kind, named "<kind>.<key>.<hash of its bytes>". Entries are written whole and then renamed into
place, checked against their hash before use and replaced, not added to; anything missing,
stale, damaged or unwritable only means that the output is made again: the cache never fails a
build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV = "TSUNAGU_CACHE"
FOLDER = ".tsunagu-cache"
PACKAGE = Path(__file__).resolve().parent
# Where fontconfig finds fonts and its settings (Chromium lays text out with what fontconfig picks)
FONT_PLACES = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts", "~/.fonts", "~/.local/share/fonts")
_SKIP = ("__pycache__",)
_BROWSER_NOTE = "browser.json"


def folder(project: Path) -> Path:
    """The cache folder of a project (the folder of its mkdocs.yml)."""
    named = os.environ.get(ENV)
    return Path(named).expanduser() if named else Path(project) / FOLDER


# ----------------------------------------------------------------------------
# Keys: hashes of what an output is made from
# ----------------------------------------------------------------------------


def _hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()[:32]


def _files(root: Path):
    """The files under root (or root itself), sorted, without compiled Python."""
    if root.is_file():
        yield root, root.name
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP)
        for name in sorted(filenames):
            if not name.endswith(".pyc"):
                path = Path(dirpath) / name
                yield path, path.relative_to(root).as_posix()


def files_key(roots: dict[str, Path | str | None]) -> str:
    """A hash of the bytes and relative paths of every file under each root (a file or a folder);
    a root that does not exist counts as empty."""
    h = hashlib.sha256()
    for label in sorted(roots):
        h.update(f"[{label}]\0".encode())
        if roots[label] is None or not Path(roots[label]).exists():
            continue
        for path, rel in _files(Path(roots[label])):
            try:
                data = path.read_bytes()
            except OSError:  # gone meanwhile, or unreadable: the build will say so if it matters
                data = b"\0unreadable"
            h.update(f"{rel}\0{len(data)}\0".encode("utf-8", "surrogateescape") + data)
    return h.hexdigest()[:32]


def package_key() -> str:
    """The tsunagu package's files: its code and templates."""
    return files_key({"tsunagu": PACKAGE})


def environment_key() -> str:
    """The Python and the installed distributions with their versions (the names of their
    .dist-info and .egg-info folders say both)."""
    found = [sys.version]
    for entry in sys.path:
        try:
            found += sorted(name for name in os.listdir(entry or ".") if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return _hash(*found)


def fonts_key() -> str:
    """The fonts and fontconfig settings, by path, size and modification time (not their bytes:
    hundreds of megabytes of CJK fonts would take longer to read than to print)."""
    found = []
    for place in FONT_PLACES:
        root = Path(place).expanduser()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(Path(dirpath) / name)
                except OSError:
                    continue
                found.append(f"{dirpath}/{name} {st.st_size} {st.st_mtime_ns}")
    return _hash(*found)


def build_date() -> str:
    """The day MkDocs writes into the sitemap: today in UTC, or SOURCE_DATE_EPOCH's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%d")


def browser_key(exe: str, store: "Cache") -> str:
    """The browser at exe: its path and `--version`, asked once per file (path, size, times, inode)
    and remembered in the cache, since asking starts the browser."""
    path = shutil.which(exe) or exe
    try:
        st = os.stat(path)
        stamp = f"{os.path.realpath(path)} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"
    except OSError:
        return _hash("browser", path, "missing")
    note = store.folder / _BROWSER_NOTE
    try:
        known = json.loads(note.read_text(encoding="utf-8"))
        if known.get("stamp") == stamp and isinstance(known.get("version"), str):
            return _hash("browser", stamp, known["version"])
    except (OSError, ValueError, AttributeError):
        pass
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
        version = result.stdout.strip() if result.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        version = ""
    if version:  # an unanswered question is asked again next time
        store.write_text(_BROWSER_NOTE, json.dumps({"stamp": stamp, "version": version}, ensure_ascii=False))
    return _hash("browser", stamp, version)


def pdf_key(print_page: str, browser: str, store: "Cache") -> str:
    return _hash("pdf 1", print_page, browser_key(browser, store), fonts_key(), package_key(), environment_key())


def zip_key(pages_key: str, pdf: str | None) -> str:
    """pages_key: pages_key()'s hash; pdf: the PDF's key, None when no PDF is printed."""
    return _hash("zip 1", pages_key, environment_key(), build_date(), pdf or "no pdf")


def pages_key(inputs: dict[str, Path | str | None], settings: str = "") -> str:
    """What makes the pages: inputs (label -> file or folder: the data, docs, overrides, hooks,
    mkdocs.yml), settings (those the command line can change), and the tsunagu package."""
    return _hash("pages 1", files_key(inputs), settings, package_key())


# ----------------------------------------------------------------------------
# The cache folder
# ----------------------------------------------------------------------------


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()[:32]


class Cache:
    """One entry per kind ("pdf", "booklet-page", "booklet-message", "zip"); see the module's description."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _temporary(self, name: str) -> Path:
        return self.folder / f".{name}.{os.getpid()}.tmp"

    def find(self, kind: str, key: str) -> Path | None:
        """The entry of kind made from key, if there is one and its bytes are whole."""
        try:
            entries = list(self.folder.glob(f"{kind}.{key}.*"))
        except OSError:
            return None
        for entry in entries:
            try:
                if _digest(entry) == entry.name.rsplit(".", 1)[-1]:
                    return entry
                entry.unlink()  # damaged: made again and kept anew
            except OSError:
                continue
        return None

    def keep(self, kind: str, key: str, source: Path | None = None, data: bytes | None = None) -> Path | None:
        """Keep a copy of source (an output just made), or data, as the entry of kind made from key,
        in place of any older one. A file that cannot be written is no error: the next build makes
        it again."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            digest = _digest(source) if source is not None else hashlib.sha256(data).hexdigest()[:32]
            name = f"{kind}.{key}.{digest}"
            partial = self._temporary(name)
            partial.unlink(missing_ok=True)
            if source is not None:
                _link_or_copy(source, partial)
            else:
                partial.write_bytes(data)
            os.replace(partial, self.folder / name)
        except OSError:
            return None
        try:
            for old in self.folder.iterdir():  # one entry per kind; a killed build's partial copy too
                if old.name != name and (old.name.startswith(f"{kind}.") or old.name.startswith(f".{kind}.")):
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        return self.folder / name

    def write_text(self, name: str, text: str) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self._temporary(name)
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, self.folder / name)
        except OSError:
            pass


def copy(entry: Path, target: Path) -> bool:
    """Put a cache entry at target (a hard link, or a copy with its time when the folders are on
    different file systems). False when the entry went meanwhile (another build replaced it)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        _link_or_copy(entry, target)
        return True
    except OSError:
        return False


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
