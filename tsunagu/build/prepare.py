"""Everything a site build needs from a data folder, prepared before anything is written.

The MkDocs hook calls prepare() once per build: a data or template error raises here, before
anything is written. Two boundaries live here so that no caller can forget them:
- theme_config() and escaped_view(): every value from the data handed to MkDocs' config, and the
  Guide as theme templates see it, escaped once here (MkDocs' theme environment does not
  autoescape); page content is escaped by render's autoescape.
- staging/publish/discard: a build writes into a sibling folder that replaces the site folder
  only when the build succeeded, so the site folder always holds a complete site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import escape

from ..data import readings
from ..data.errors import DataError, DataErrors
from ..data.guide import Guide
from ..site import glossary, htmlfix, pages, published, render, search
from ..site.reserved import SiteNames
from .cache import Memo


@dataclass(frozen=True)
class Prepared:
    guide: Guide
    generated: dict[str, str]  # src path -> Markdown of each generated page
    docs: dict[str, str]  # src path -> Markdown of each hand-written page, rendered
    nav: list
    site_name: str
    copyright: str
    search_excluded: frozenset[str]
    omitted: frozenset[str] = frozenset()  # hand-written pages left out: the data gives them nothing to list


def prepare(data_dir: Path, docs: dict[str, str], site: SiteNames | None = None, site_url: str | None = None) -> Prepared:
    """docs: src path -> Markdown body (front matter removed) of the hand-written pages;
    site: what the build and the theme write besides the pages, and their element ids;
    site_url: the site's address where MkDocs' config gives it (the JSON-LD's @id and url)."""
    from ..site.checks import load_guide  # not imported by a build that reuses an earlier build's Prepared

    guide = load_guide(data_dir, hand_written=docs.keys(), site=site)
    env = render.make_env()
    generated = {spec.src: render.render_template(env, spec.template, {"guide": guide, "page_url": spec.url, **spec.context})
                 for spec in pages.generated_pages(guide, site_url)}
    rendered, errors = {}, []
    omitted = pages.omitted_docs(guide)
    for src, body in docs.items():
        if src in omitted:
            continue
        try:
            rendered[src] = render.render_string(env, body, {"guide": guide, "page_url": pages.PageSpec(src, "").url},
                                                 name=f"docs/{src}")
        except jinja2.TemplateError as exc:
            line = _page_line(exc)
            errors.append(DataError(f"docs/{src}", line, "", f"ページのテンプレートに誤りがあります ({exc})", "template_error"))
    if errors:
        raise DataErrors(errors)
    publisher = guide.publisher
    return Prepared(
        guide=guide, generated=generated, docs=rendered, nav=pages.nav(guide), site_name=guide.site.title,
        copyright=f"発行: {guide.site.city}{publisher.department or ''}{publisher.name}",
        search_excluded=frozenset(pages.search_excluded(guide)), omitted=omitted,
    )


def _page_line(exc: jinja2.TemplateError) -> int | None:
    """The line of a hand-written page where its template failed: Jinja gives it for a syntax
    error, and for an error while rendering in the page's frame of the traceback it rewrote."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__ if line is None else None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno  # the innermost such frame is the page's own
        tb = tb.tb_next
    return line


def url_of(dest: str) -> str:
    """The URL of a built file from its path in the site folder: "a/index.html" -> "a/"."""
    return dest[: -len("index.html")] if dest.endswith("index.html") else dest


class SearchEntries:
    """The search index's entries, read from each page as the build writes it (not read back
    from the site folder afterwards); pages the search leaves out are skipped. memo: a page an
    earlier build made from the same inputs is not read again."""

    def __init__(self, prepared: Prepared, memo: Memo | None = None):
        self._excluded = prepared.search_excluded
        self._memo = memo or Memo()
        self.entries: dict[str, dict | None] = {}

    def page(self, dest: str, html: str) -> None:
        url = url_of(dest)
        if url not in self._excluded:
            self.entries[dest] = self._memo.step("search", search.entry, url, html)


# ----------------------------------------------------------------------------
# What a build does to each page, after Markdown and after the theme
# ----------------------------------------------------------------------------


def page_content(html: str, url: str, prepared: Prepared, memo: Memo) -> str:
    """A page's content (what Markdown made of it): the first use of each glossary term linked."""
    return memo.step("terms", _link_terms, html, url, terms=prepared.guide.glossary)


def _link_terms(html: str, url: str, terms: tuple) -> str:
    return glossary.link_terms(html, terms, url)


def finish_page(html: str, url: str, errors: list[str], prepared: Prepared, memo: Memo) -> str:
    """A page as the theme wrote it, with Material's HTML mended (htmlfix), the current page marked
    in the navigation, in preview the data errors on top, and the readings of its words given."""
    return memo.step("page", _finish_page, html, url, errors, guide=prepared.guide)


CONTENT_START, CONTENT_END = "<!--tsunagu:content-->", "<!--/tsunagu:content-->"  # overrides/partials/content.html


def content_region(html: str) -> tuple[int, int] | None:
    """Where a built page holds its content (what Markdown made of the page), between the marks the
    theme's content partial writes; None where the page has no such region (the 404 page)."""
    start = html.find(CONTENT_START)
    end = html.find(CONTENT_END, start + len(CONTENT_START)) if start >= 0 else -1
    return (start + len(CONTENT_START), end) if end >= 0 else None


def without_marks(html: str) -> str:
    region = content_region(html)
    if region is None:
        return html
    start, end = region
    return html[: start - len(CONTENT_START)] + html[start:end] + html[end + len(CONTENT_END):]


def _finish_page(html: str, url: str, errors: list[str], guide: Guide) -> str:
    html = without_marks(html)
    html = htmlfix.error_banner(htmlfix.current_nav_item(htmlfix.fix_page(html), url), errors)
    return readings.annotate(html, readings.reader_of(guide))


def finish_not_found(html: str, prepared: Prepared) -> str:
    """The theme's 404 page, as finish_page() leaves a page (it has no content region and no URL of its own)."""
    return readings.annotate(htmlfix.fix_page(html), readings.reader_of(prepared.guide))


def write_search_index(site_dir: Path, prepared: Prepared, entries: SearchEntries | None = None) -> Path:
    """After the build: the search index of every built page the search should find (from the
    entries gathered while the pages were written, or else from the built files)."""
    if entries is None:
        entries = SearchEntries(prepared)
        for html in site_dir.rglob("*.html"):
            entries.page(html.relative_to(site_dir).as_posix(), html.read_text(encoding="utf-8"))
    in_order = sorted(entries.entries, key=lambda dest: dest.split("/"))  # folder by folder, as before
    index = search.index_of([entries.entries[dest] for dest in in_order], prepared.guide.search_terms, search.reader_of(prepared.guide))
    target = site_dir / published.SEARCH_INDEX
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return target


# ----------------------------------------------------------------------------
# The one place where data reaches MkDocs' config: escaped here, for every template that prints it
# ----------------------------------------------------------------------------


def theme_config(prepared: Prepared) -> dict[str, object]:
    """The config values a build takes from the data, each already escaped as HTML. Markup (not
    str) so that a template that escapes again (`| e`) leaves them as they are. A test puts a
    script in every text of the data and looks for it, unescaped, in every built page."""
    return {
        "site_name": escape(prepared.site_name),
        "site_description": escape(prepared.guide.site.description),
        "copyright": escape(prepared.copyright),
        "nav": [{escape(title): src} for item in prepared.nav for title, src in item.items()],
    }


def theme_flags(prepared: Prepared) -> dict[str, bool]:
    """What the theme's overrides ask of the data, as `config.extra` flags: the same on every engine
    (Zensical's templates see no Guide; MkDocs' hook gives them one as `guide` too)."""
    return {"tsunagu_flows": bool(prepared.guide.flows), "tsunagu_accessibility": bool(prepared.guide.accessibility)}


class EscapedView:
    """The Guide as theme templates see it: every string read through it comes out escaped
    (Markup), however deep, so an override that prints `{{ guide.site.city }}` cannot print
    markup from the data. Numbers, dates and truth values pass through unchanged."""

    __slots__ = ("_target",)

    def __init__(self, target: object):
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> object:
        return escaped_view(getattr(self._target, name))

    def __getitem__(self, key: object) -> object:
        return escaped_view(self._target[key])  # type: ignore[index]

    def __iter__(self):
        return (escaped_view(item) for item in self._target)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self._target)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self._target)

    def __call__(self, *args, **kwargs) -> object:
        return escaped_view(self._target(*args, **kwargs))  # type: ignore[operator]

    def __html__(self) -> str:
        return str(escape(str(self._target)))

    def __str__(self) -> str:
        return self.__html__()


def escaped_view(value: object) -> object:
    if isinstance(value, str):
        return escape(value)  # Markup stays as it is
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    return EscapedView(value)


# ----------------------------------------------------------------------------
# Atomic publishing: build beside the site folder, swap it in at the end
# ----------------------------------------------------------------------------

_MARK = ".tsunagu-"


def staging_dir(site_dir: Path) -> Path:
    """A fresh, empty sibling of the site folder for this build (same file system, so the swap is a
    rename). Leftovers of builds that were killed are removed first."""
    site_dir = Path(site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(site_dir)
    staging = site_dir.parent / f".{site_dir.name}{_MARK}new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Put the finished build in place of the site folder. With Linux's renameat2(RENAME_EXCHANGE)
    the two folders swap in one step; elsewhere the old folder is renamed away and the new one in
    (a moment without a site folder, repaired by the next build), and the old one is deleted."""
    staging, site_dir = Path(staging), Path(site_dir)
    if not site_dir.exists():
        os.rename(staging, site_dir)
        return
    if _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    old = site_dir.parent / f".{site_dir.name}{_MARK}old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    try:
        os.rename(site_dir, old)
    except OSError:
        # the site folder cannot move (a mount point, for one): replace what it holds, entry by entry
        _replace_contents(staging, site_dir)
        return
    os.rename(staging, site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _replace_contents(staging: Path, site_dir: Path) -> None:
    """Last resort, not atomic: the new entries renamed in, then the entries the new site lacks removed."""
    new = {entry.name for entry in staging.iterdir()}
    for name in new:
        target = site_dir / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        os.rename(staging / name, target)
    for entry in site_dir.iterdir():
        if entry.name not in new:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def discard(staging: Path | None) -> None:
    """A failed build: its folder goes, the site folder stays as it was."""
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_leftovers(site_dir: Path) -> None:
    """Folders left by builds that were killed (their process is gone). If a kill fell between the
    two renames of the fallback swap, the previous site is put back."""
    prefix = f".{site_dir.name}{_MARK}"
    for path in site_dir.parent.glob(prefix + "*"):
        kind, _, pid = path.name[len(prefix):].partition("-")
        if not pid.isdigit() or _alive(int(pid)):
            continue
        if kind == "old" and not site_dir.exists():
            os.rename(path, site_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process's own leftovers (an earlier build in the same process)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
