"""What a build made, kept for the next build made from the same inputs, each under a hash of
everything it is made from (issue 22): the booklet's PDF and the offline zip, copied instead of
printed and zipped again (the two were most of a build's time); and the build's memo, the prepared
site and each page's own steps, so that such a build neither reads the data nor renders its pages
again (they were most of the rest).

What each is made from (the key):
- the PDF: the print page's HTML (it decides the PDF but for the browser and the fonts), the
  browser (its path and `--version`), the installed fonts and fontconfig's settings (names, sizes,
  times), the tsunagu package's files (how the page is printed and the PDF checked), the
  Python and the installed packages;
- the zip: everything that makes the pages (the data folder, the hand-written pages, the theme's
  overrides, the hooks, mkdocs.yml, a few settings the command line can change, the tsunagu
  package's files), the Python and the installed packages (MkDocs, Material and the rest), the
  build date (MkDocs writes it into the sitemap) and the PDF's key (the zip holds the PDF);
- the memo (Memo): everything that makes the pages, the Python and the installed packages (a pickle
  is read back only by the code that wrote it); within it, each step's result is found by a hash of
  what the step was given (the page's HTML as MkDocs made it, its address).

The cache is a folder (TSUNAGU_CACHE, else .tsunagu-cache beside mkdocs.yml) with one entry per
kind, named "<kind>.<key>.<hash of its bytes>". Entries are written whole and then renamed into
place, checked against their hash before use and replaced, not added to; anything missing,
stale, damaged or unwritable only means that the output is made again: the cache never fails a
build.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

ENV = "TSUNAGU_CACHE"
FOLDER = ".tsunagu-cache"
PACKAGE = Path(__file__).resolve().parents[1]  # the tsunagu package, all its stages
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
    """The files under root (or root itself), sorted, without compiled Python; folders that are
    symbolic links are followed (MkDocs follows them in docs/), each folder read once."""
    if root.is_file():
        yield root, root.name
        return
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link to a folder already read: its name only
            dirnames[:] = []
            yield None, Path(dirpath).relative_to(root).as_posix() + "/"
            continue
        seen.add((st.st_dev, st.st_ino))
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
                data = path.read_bytes() if path is not None else b"\0folder"
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


def config_key(config, data_dir: Path, hooks_dir: Path) -> str:
    """pages_key() of a project: its MkDocs config (read, not imported: this module does not import
    MkDocs), the data folder and the folder of tsunagu's hooks. Computed before the data is read,
    so the key never claims newer data than the pages were made from."""
    hooks = {f"hook {name}": getattr(module, "__file__", None) for name, module in config.hooks.items()}
    return pages_key({"config": config.config_file_path, "docs": config.docs_dir, "data": data_dir,
                      "overrides": config.theme.custom_dir, "hooks": hooks_dir, **hooks},
                     f"{config.theme.name} {config.use_directory_urls} {config.site_url}")


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
    """One entry per kind ("pdf", "booklet-page", "booklet-message", "zip", "build"); see the module's description."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _temporary(self, name: str) -> Path:
        return self.folder / f".{name}.{os.getpid()}.tmp"

    def _entries(self, kind: str, key: str) -> list[Path]:
        """The files kept for kind under key (none when the folder cannot be read)."""
        try:
            return list(self.folder.glob(f"{kind}.{key}.*"))
        except OSError:
            return []

    def find(self, kind: str, key: str) -> Path | None:
        """The entry of kind made from key, if there is one and its bytes are whole."""
        for entry in self._entries(kind, key):
            try:
                if _digest(entry) == entry.name.rsplit(".", 1)[-1]:
                    return entry
                entry.unlink()  # damaged: made again and kept anew
            except OSError:
                continue
        return None

    def open_entry(self, kind: str, key: str) -> BinaryIO | None:
        """The entry of kind made from key, open for reading, if there is one, whole, and written by
        this user alone (a memo holds pickles: one that another user could have written is not read)."""
        for entry in self._entries(kind, key):
            try:
                f = open(entry, "rb")
            except OSError:
                continue
            try:
                st = os.fstat(f.fileno())
                if st.st_uid == os.getuid() and not st.st_mode & 0o022:
                    h = hashlib.sha256()
                    while chunk := f.read(1 << 20):
                        h.update(chunk)
                    if h.hexdigest()[:32] == entry.name.rsplit(".", 1)[-1]:
                        f.seek(0)
                        return f
            except OSError:
                pass
            f.close()
        return None

    def keep(self, kind: str, key: str, source: Path | None = None, data: bytes | None = None,
             write: Callable[[BinaryIO], None] | None = None) -> Path | None:
        """Keep a copy of source (an output just made), or data, or what write(file) writes, as the
        entry of kind made from key, in place of any older one. A file that cannot be written (or
        a write() that fails) is no error: the next build makes it again."""
        partial = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if write is not None:
                partial = self._temporary(f"{kind}.{key}")
                with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                    out = _Hashing(f)
                    write(out)  # type: ignore[arg-type]
                digest = out.hash.hexdigest()[:32]
            else:
                digest = _digest(source) if source is not None else hashlib.sha256(data).hexdigest()[:32]
                partial = self._temporary(f"{kind}.{key}.{digest}")
                partial.unlink(missing_ok=True)
                if source is not None:
                    _link_or_copy(source, partial)
                else:  # for this user alone (open_entry() reads no other)
                    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
                        f.write(data)
            name = f"{kind}.{key}.{digest}"
            os.replace(partial, self.folder / name)
        except Exception:  # noqa: BLE001  (OSError, or what write() raised: never a failed build)
            if partial is not None:
                partial.unlink(missing_ok=True)
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


# ----------------------------------------------------------------------------
# The build's memo: the prepared site and each page's steps
# ----------------------------------------------------------------------------


class Memo:
    """What a build made from the pages' inputs, read by the next build made from the same inputs:
    `prepared` (the site prepared from the data: the data read and checked, the pages rendered) and
    the results of step() (what a build does to each page: raw blocks set aside, terms linked, HTML
    mended, search text read). One cache entry ("build") holds both, kept by a build that succeeded
    and made something anew; a build that made nothing anew leaves it as it is.

    The entry is each step's result pickled one after another, then the prepared site and the
    index of the results (pickled), then that part's length (8 bytes). A build reads the prepared
    site and the index, and each result only when its step comes; what a build makes anew goes to
    a temporary file until the memo is kept. So no build holds every page in memory at once (at
    100x a city the results are 120 MB).

    folder: the cache folder; pages_key: what computes the pages' key (pages_key() of what makes
    the pages), asked now and again before the memo is kept. Without either (a preview) nothing is
    read or kept and step() only calls."""

    KIND = "build"

    def __init__(self, folder: Path | None = None, pages_key: Callable[[], str] | None = None):
        self.prepared: Any = None  # build.Prepared, when an earlier build made it from the same inputs
        self.folder, self._pages_key = folder, pages_key
        self.pages = pages_key() if pages_key is not None else None  # what the pages are made from
        self._store = Cache(folder) if folder is not None and self.pages else None
        self._key = _hash("build 2", self.pages, environment_key()) if self._store is not None else ""
        self._old: BinaryIO | None = None  # the earlier build's memo, open
        self._index: dict[bytes, tuple[int, int]] = {}  # step -> offset and length of its result there
        self._made: BinaryIO | None = None  # this build's new results (a temporary file)
        self._steps: dict[bytes, tuple[BinaryIO, int, int]] = {}  # every step of this build: where its result is
        self._keepable = True  # False once a result could not be written
        f = self._store.open_entry(self.KIND, self._key) if self._store is not None else None
        if f is not None:
            try:
                f.seek(-8, os.SEEK_END)
                size = int.from_bytes(f.read(8), "big")
                f.seek(-8 - size, os.SEEK_END)
                with _no_gc():
                    memo = pickle.loads(f.read(size))
                self.prepared, self._index, self._old = memo["prepared"], memo["steps"], f
            except Exception:  # noqa: BLE001  (written by another version, or damaged: made anew, never a failed build)
                f.close()
                self.prepared, self._index = None, {}
        self._missed = self.prepared is None  # True once this build made anything anew

    def step(self, name: str, fn: Callable[..., Any], *args: Any, **fixed: Any) -> Any:
        """fn(*args, **fixed), or its result in the memo of an earlier build given the same args. The
        memo tells args apart by str(): strings, or lists of them. fixed: what the memo's key already
        determines (the Guide's glossary, say), not compared."""
        if self._store is None:
            return fn(*args, **fixed)
        h = hashlib.sha256(name.encode())
        for arg in args:
            data = str(arg).encode("utf-8", "surrogatepass")
            h.update(b"%d\0" % len(data) + data)
        key = h.digest()
        if (found := self._index.get(key)) is not None and self._old is not None:
            try:
                self._old.seek(found[0])
                result = pickle.loads(self._old.read(found[1]))
                self._steps[key] = (self._old, *found)
                return result
            except Exception:  # noqa: BLE001  (damaged after all: made anew)
                pass
        result = fn(*args, **fixed)
        self._missed = True
        if self._keepable:
            try:
                if self._made is None:
                    self.folder.mkdir(parents=True, exist_ok=True)
                    self._made = tempfile.TemporaryFile(dir=self.folder)
                data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
                offset = self._made.seek(0, os.SEEK_END)
                self._made.write(data)
                self._steps[key] = (self._made, offset, len(data))
            except Exception:  # noqa: BLE001  (a full disk, a result pickle cannot write: not kept, never a failed build)
                self._keepable = False
        return result

    def keep(self, prepared: Any) -> None:
        """After a build that succeeded: keep the memo if this build made anything anew, and if the
        pages' key is still what it was (inputs changed during the build would be newer than what
        the key claims: then the next build makes it all again)."""
        if (self._store is None or not self._missed or not self._keepable or prepared is None
                or self._pages_key() != self.pages):
            return

        def write(out: BinaryIO) -> None:
            index, at = {}, 0
            for key, (source, offset, length) in self._steps.items():
                source.seek(offset)
                out.write(source.read(length))
                index[key], at = (at, length), at + length
            with _no_gc():  # written as it is pickled: never whole in memory
                pickle.dump({"prepared": prepared, "steps": index}, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.write((out.size - at).to_bytes(8, "big"))

        self._store.keep(self.KIND, self._key, write=write)


class _Hashing:
    """A file being written, and the hash and size of what was written to it."""

    def __init__(self, f: BinaryIO):
        self._f, self.hash, self.size = f, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return self._f.write(data)


@contextlib.contextmanager
def _no_gc():
    """Without the cycle collector: reading a memo makes tens of thousands of objects and no
    garbage, and the collector's passes over them made reading Kamakura's take 7-21 ms, not 6-10."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
