"""Everything a build writes besides the pages: the open data, the booklet and its PDF, and the
offline copy, all from the same Guide, into the site folder being built.

The slow parts run beside MkDocs: the PDF is printed by Chromium from the Guide alone, and the
offline copy is zipped by a second process page by page, so that neither adds its seconds to the
build. Begun when the build begins (Downloads), handed each page, finished after the pages and the
search index are written (the offline copy holds both).

Neither is made again when nothing it is made from changed: a build keeps both in a cache under
a hash of their inputs (tsunagu/build/cache.py) and the next build made from the same inputs copies
them from there, starting neither Chromium nor the zip process.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..data.guide import Guide
from ..site import published
from ..outputs import booklet, export, offline
from . import cache

# What is kept of the booklet: its PDF, the print page beside it as it was printed, and what was
# said about the PDF (a font that was not found, say: said again when the PDF is reused)
_BOOKLET = {"pdf": published.BOOKLET_PDF, "booklet-page": booklet.PAGE_FILE, "booklet-message": None}


class Downloads:
    """preview (mkdocs serve): the open data and the print page only; the PDF and the zip take
    seconds and are left to the real build.

    made_from (cache.pages_key() of what makes the pages) and cache_dir: reuse the PDF and the zip
    of an earlier build made from the same inputs; without them both are always made."""

    def __init__(self, site_dir: Path, guide: Guide, preview: bool = False, made_from: str | None = None,
                 cache_dir: Path | None = None):
        self.site_dir, self.guide, self.preview = Path(site_dir), guide, preview
        self._pdf = self._zip = None
        self._cache = cache.Cache(cache_dir) if made_from and cache_dir and not preview else None
        self._keys: dict[str, str] = {}  # kind -> the key of what it is made from
        self._found: dict[str, Path] = {}  # kind -> its cache entry, copied into the site at the end
        if preview:
            return
        if self._cache is not None:
            self._look_up(made_from)
        if "pdf" not in self._found:
            self._pdf = booklet.PdfJob.start(guide)
        if "zip" not in self._found:
            self._zip = offline.ZipJob(self.site_dir, self.site_dir / published.OFFLINE_ZIP)

    def _look_up(self, made_from: str) -> None:
        browser = booklet.find_browser()
        pdf = cache.pdf_key(booklet.render_page(self.guide), browser, self._cache) if browser else None
        if pdf:
            self._keys.update(dict.fromkeys(_BOOKLET, pdf))
        self._keys["zip"] = cache.zip_key(made_from, pdf)
        for kind, key in self._keys.items():
            if (entry := self._cache.find(kind, key)) is not None:
                self._found[kind] = entry
        if pdf and not all(kind in self._found for kind in _BOOKLET):
            # the PDF, its page and its message go together, and the zip holds the PDF
            for kind in (*_BOOKLET, "zip"):
                self._found.pop(kind, None)

    def page(self, rel: str, html: str) -> None:
        """A page as it is written at rel ("agencies/x/index.html") in the site folder."""
        if self._zip is not None:
            self._zip.page(rel, html)

    def finish(self) -> None:
        export.write_all(self.site_dir, self.guide)
        message = self._finish_booklet()
        if message:
            print(message, file=sys.stderr, flush=True)
        zip_file = self.site_dir / published.OFFLINE_ZIP
        if "zip" in self._found:
            if not cache.copy(self._found["zip"], zip_file):  # another build replaced it meanwhile
                offline.write_zip(self.site_dir, zip_file)
        elif self._zip is not None:
            self._zip.finish()
            # kept only with the PDF it holds (a PDF that failed is tried again next time)
            if self._cache is not None and ("pdf" not in self._keys or (self.site_dir / published.BOOKLET_PDF).is_file()):
                self._cache.keep("zip", self._keys["zip"], zip_file)

    def _finish_booklet(self) -> str | None:
        """The print page and the PDF in the site folder; a message when there is no PDF or it is imperfect."""
        if "pdf" in self._found:
            try:
                message = self._found["booklet-message"].read_text(encoding="utf-8") or None
                if all(cache.copy(self._found[kind], self.site_dir / rel) for kind, rel in _BOOKLET.items() if rel):
                    return message
            except (OSError, UnicodeError):
                pass
            return booklet.write(self.site_dir, self.guide)  # another build replaced them meanwhile
        if self._pdf is None:
            return booklet.write(self.site_dir, self.guide, pdf=not self.preview)
        message = self._pdf.finish(self.site_dir)
        # a PDF is kept with what was said about it; no PDF (Chromium failed) is tried again next time
        if self._cache is not None and "pdf" in self._keys and (self.site_dir / published.BOOKLET_PDF).is_file():
            for kind, rel in _BOOKLET.items():
                if rel is None:
                    self._cache.keep(kind, self._keys[kind], data=(message or "").encode("utf-8"))
                elif (self.site_dir / rel).is_file():
                    self._cache.keep(kind, self._keys[kind], self.site_dir / rel)
        return message

    def cancel(self) -> None:
        for job in (self._pdf, self._zip):
            if job is not None:
                job.cancel()


def write(site_dir: Path, guide: Guide, preview: bool = False) -> None:
    """All of it at once, for a site already built."""
    Downloads(site_dir, guide, preview).finish()
