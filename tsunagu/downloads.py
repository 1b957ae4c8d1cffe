"""Everything a build writes besides the pages: the open data, the booklet and its PDF, and the
offline copy, all from the same Guide, into the site folder being built.

Called once after MkDocs has written the pages and the search index (the offline copy holds both).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import booklet, export, offline
from .guide import Guide


def write(site_dir: Path, guide: Guide, preview: bool = False, pdf_job: booklet.PdfJob | None = None,
          zip_job: offline.ZipJob | None = None) -> None:
    """preview (mkdocs serve): the open data and the print page only; the PDF and the zip take
    seconds and are left to the real build. pdf_job, zip_job: the PDF and the offline copy, begun
    while the pages were built, finished here."""
    site_dir = Path(site_dir)
    export.write_all(site_dir, guide)
    message = booklet.write(site_dir, guide, pdf=not preview and pdf_job is None)
    if pdf_job is not None:
        message = pdf_job.finish(site_dir)
    if message:
        print(message, file=sys.stderr, flush=True)
    if zip_job is not None:
        zip_job.finish()
    elif not preview:
        offline.write_zip(site_dir, site_dir / export.OFFLINE_ZIP)
