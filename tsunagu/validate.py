"""Checks across files: unique ids and every cross-reference resolving to something that exists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import DataError
from .yamlfile import line_of
from . import messages


@dataclass(frozen=True)
class Located:
    """A value with the file and path it came from, so that errors can point at its line."""

    file: str  # shown file name, e.g. data/agencies.yml
    raw: Any  # the file's raw data, carrying line numbers
    path: tuple

    def error(self, message: str, key: str) -> DataError:
        return DataError(self.file, line_of(self.raw, self.path), messages.field_path(self.path), message, key)


def shown(value: object, most: int = 40) -> str:
    """A value as a message quotes it: at most `most` characters, so a huge mistake gives a short message."""
    text = str(value)
    return text if len(text) <= most else text[:most] + "…"


# What each kind of id is called in messages
KIND_NAMES = {
    "field": "分野", "office": "担当課", "category": "種別", "agency": "相談先",
    "hub": "多機関協働事業者", "program": "事業", "meeting": "支援会議", "case": "事例",
    "group": "会議のまとまり", "chapter": "章", "national": "全国共通の連絡先", "flow-step": "支援の流れの番号", "term": "用語",
}


def duplicate_ids(entries: list[tuple[str, str, Located]]) -> Iterator[DataError]:
    """entries: (kind, id, where). Ids must be unique within a kind; refs share one namespace."""
    seen: dict[tuple[str, str], Located] = {}
    for kind, id_, where in entries:
        space = "ref" if kind in ("office", "category", "agency", "hub") else kind
        if (space, id_) in seen:
            first = seen[(space, id_)]
            first_line = line_of(first.raw, first.path)
            yield where.error(f"id「{shown(id_)}」は {first.file}:{first_line} でも使われています。別の id にしてください",
                              "duplicate_id")
        else:
            seen[(space, id_)] = where


def unknown_ref(where: Located, id_: str, kinds: tuple[str, ...], known: set[str]) -> DataError | None:
    """None when id_ is known, else the error saying which kind of id was expected."""
    if id_ in known:
        return None
    names = "・".join(KIND_NAMES[k] for k in kinds)
    return where.error(f"{names}の id「{shown(id_)}」が見つかりません。綴りを確認するか、先に{names}を追加してください",
                       "unknown_id")


def empty_categories(categories: list[tuple[str, str, Located]], agency_categories: set[str]) -> Iterator[DataError]:
    """categories: (id, name, where). A category with no agency would show as 「0 カ所」 or an empty
    table in the directory, on programme pages and on flow outcomes: each needs at least one agency."""
    for id_, name, where in categories:
        if id_ not in agency_categories:
            yield where.error(f"種別「{name}」（{id_}）に相談先が一つもありません。相談先一覧や結果のページに"
                              f"「0 カ所」と出てしまいます。agencies にこの種別の相談先を追加するか、種別を消してください",
                              "empty_category")


# ----------------------------------------------------------------------------
# Pages that would share a URL
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageAt:
    """A page the site will have: its URL, what it is (Japanese, for messages), where its id is written."""

    url: str  # "agencies/kita/" ("" for the home page)
    what: str  # 相談先「kita」のページ
    where: Located | None  # None for pages the site makes itself or hand-written pages
    index: bool = False  # a page from an id that lands on a section's own URL (id "index")


def page_collisions(generated: list[PageAt], hand_written: Iterable[PageAt]) -> list[DataError]:
    """Two pages at one URL, a page from an id at the URL of a section's own page (id "index"), or a
    one-level page (the hub's) at the URL of a section that other pages live under: each an error
    at the id that causes it, naming both pages."""
    errors: list[DataError] = []
    first: dict[str, PageAt] = {}
    for page in [*hand_written, *generated]:
        other = first.setdefault(page.url, page)
        if other is not page:
            where = page.where or other.where
            if where is not None:
                errors.append(where.error(f"{page.what}と{other.what}が同じ URL（/{page.url}）になります。id を別の名前にしてください",
                                          "page_collision"))
    sections = {page.url.split("/")[0] for page in generated if page.url.count("/") > 1}
    for page in generated:
        if page.where is None:
            continue
        if page.index:
            errors.append(page.where.error(f"{page.what}の URL（/{page.url}）が一覧のページと重なります。id に「index」は使えません",
                                           "reserved_id"))
        elif page.url.count("/") == 1 and page.url[:-1] in sections:
            errors.append(page.where.error(
                f"{page.what}の URL（/{page.url}）が、ページをまとめている「/{page.url}」の一覧と重なります。id を別の名前にしてください",
                "page_collision"))
    return errors
