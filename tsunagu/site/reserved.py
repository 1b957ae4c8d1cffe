"""Names the site uses besides the pages made from the data: the files and folders that the build
and the theme write into the site folder, and the element ids of the theme and of tsunagu's own
templates. An id from the data may take none of them.

Pure: the theme's part is handed in (tsunagu.build.theme reads it from MkDocs' config); without it the
names tsunagu itself writes and uses are still known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..data.errors import DataError
from ..data.validate import KIND_NAMES, Located, PageAt
from . import htmlfix, published

TEMPLATES = Path(__file__).parent / "templates"

# An id written as it is in a template (id="ts-main"); ids built from a template variable
# (id="__nav_{{ n }}") are not slugs, so no id from the data can take them.
_LITERAL_ID = re.compile(r'\bid="([A-Za-z0-9_:.-]+)"')


@dataclass(frozen=True)
class SiteNames:
    files: Mapping[str, str] = field(default_factory=dict)  # site path ("booklet/" a folder) -> what it is, Japanese
    element_ids: Mapping[str, str] = field(default_factory=dict)  # element id -> where it is written


def template_ids(paths: Iterable[Path], shown_as: str) -> dict[str, str]:
    """Every literal element id in the given template files, with where it was found."""
    found: dict[str, str] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for id_ in _LITERAL_ID.findall(text):
            found.setdefault(id_, f"{shown_as}の {path.name}")
    return found


def own() -> SiteNames:
    """What tsunagu writes and uses whatever the theme: the downloads and the search index
    (published.py), the ids its templates and its fixes of the theme's HTML give elements."""
    ids = template_ids(sorted(TEMPLATES.glob("*.j2")), "tsunagu のテンプレート")
    ids.update({htmlfix.MAIN_ID: "本文へ移動のリンク先", htmlfix.DRAWER_ID: "メニュー"})
    return SiteNames(files=dict(published.WRITTEN), element_ids=ids)


def with_theme(theme_files: Mapping[str, str], theme_ids: Mapping[str, str]) -> SiteNames:
    """own() and what the theme writes (its files) and uses (its element ids)."""
    mine = own()
    return SiteNames(files={**theme_files, **mine.files}, element_ids={**theme_ids, **mine.element_ids})


# ----------------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------------


def file_collisions(generated: Iterable[PageAt], files: Mapping[str, str]) -> list[DataError]:
    """A page from the data (its folder, e.g. "booklet" for /booklet/) at a file or folder the build
    writes, inside one, or holding one: the build would overwrite one with the other."""
    exact = {path.rstrip("/"): (path, what) for path, what in files.items()}
    holding: dict[str, tuple[str, str]] = {}  # every folder above a written path -> that path
    for path, what in files.items():
        parts = path.rstrip("/").split("/")
        for n in range(1, len(parts)):
            holding.setdefault("/".join(parts[:n]), (path, what))
    errors: list[DataError] = []
    for page in generated:
        folder = page.url.rstrip("/")
        if page.where is None or not folder:
            continue
        parts = folder.split("/")
        hit = holding.get(folder) or next((exact[p] for n in range(1, len(parts) + 1)
                                           if (p := "/".join(parts[:n])) in exact), None)
        if hit:
            path, what = hit
            errors.append(page.where.error(
                f"{page.what}（/{page.url}）が、サイトを作るときに書き出す{what}（/{path}）と重なります。"
                "id を別の名前にしてください", "page_collision"))
    return errors


def element_id_errors(entries: Iterable[tuple[str, str, Located]], ids: Mapping[str, str]) -> list[DataError]:
    """entries: (kind, id, where) of ids that become element ids on a page (fields and categories
    anchor the directory). Such an id may not be one the theme or the site gives its own elements."""
    return [where.error(f"{KIND_NAMES[kind]}の id「{id_}」は、サイトの画面の部品（{ids[id_]}）が使う名前です。"
                        "ページの中で同じ名前が二つになるので、別の id にしてください", "reserved_id")
            for kind, id_, where in entries if id_ in ids]
