"""Everything a build writes besides the pages: the open data, the booklet and its PDF, and the
offline copy, all from the same Guide, into the site folder being built.

The slow parts run beside MkDocs: the PDF is printed by Chromium from the Guide alone, and the
offline copy is zipped by a second process page by page, so that neither adds its seconds to the
build. Begun when the build begins (Downloads), handed each page, finished after the pages and the
search index are written (the offline copy holds both).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import booklet, export, offline
from .guide import Guide


class Downloads:
    """preview (mkdocs serve): the open data and the print page only; the PDF and the zip take
    seconds and are left to the real build."""

    def __init__(self, site_dir: Path, guide: Guide, preview: bool = False):
        self.site_dir, self.guide, self.preview = Path(site_dir), guide, preview
        self._pdf = None if preview else booklet.PdfJob.start(guide)
        self._zip = None if preview else offline.ZipJob(self.site_dir, self.site_dir / export.OFFLINE_ZIP)

    def page(self, rel: str, html: str) -> None:
        """A page as it is written at rel ("agencies/x/index.html") in the site folder."""
        if self._zip is not None:
            self._zip.page(rel, html)

    def finish(self) -> None:
        export.write_all(self.site_dir, self.guide)
        if self._pdf is not None:
            message = self._pdf.finish(self.site_dir)
        else:
            message = booklet.write(self.site_dir, self.guide, pdf=not self.preview)
        if message:
            print(message, file=sys.stderr, flush=True)
        if self._zip is not None:
            self._zip.finish()

    def cancel(self) -> None:
        for job in (self._pdf, self._zip):
            if job is not None:
                job.cancel()


def write(site_dir: Path, guide: Guide, preview: bool = False) -> None:
    """All of it at once, for a site already built."""
    Downloads(site_dir, guide, preview).finish()
