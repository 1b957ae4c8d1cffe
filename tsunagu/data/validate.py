"""Checks across files: unique ids and every cross-reference resolving to something that exists."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from . import messages
from .errors import DataError
from .yamlfile import line_of


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


# Distinct unknown ids given 「もしかして」 in one check: each is compared with every known id, so a file
# full of unknown ids (a wrong file, hostile data) is not quadratic
NEAR_LOOKUPS = 100


def unknown_ref(where: Located, id_: str, kinds: tuple[str, ...], known: set[str],
                near_cache: dict | None = None) -> DataError | None:
    """None when id_ is known, else the error saying which kind of id was expected, with up to three
    known ids of those kinds that are spelt nearly the same. near_cache: shared by the calls of one
    check, it remembers each lookup and stops looking after NEAR_LOOKUPS distinct ones."""
    if id_ in known:
        return None
    names = "・".join(KIND_NAMES[k] for k in kinds)
    cache = {} if near_cache is None else near_cache
    if (id_, kinds) not in cache and len(cache) < NEAR_LOOKUPS:
        cache[(id_, kinds)] = difflib.get_close_matches(id_, sorted(known), n=3, cutoff=0.6) if len(id_) <= 64 else []
    near = cache.get((id_, kinds), [])
    maybe = f"もしかして{''.join(f'「{shown(x)}」' for x in near)}？ " if near else ""
    return where.error(f"{names}の id「{shown(id_)}」が見つかりません。{maybe}綴りを確認するか、先に{names}を追加してください",
                       "unknown_id")


@dataclass(frozen=True)
class Ref:
    """One reference to an id, as checked: where it is written, the kinds it may name, and its error
    (None when the id exists)."""

    where: Located
    id: str
    kinds: tuple[str, ...]
    error: DataError | None


@dataclass(frozen=True)
class Definition:
    """Where an id is defined: kind, the id (None when the item has no id), where its id is (or belongs)."""

    kind: str
    id: str | None
    where: Located


def _at(where: Located) -> str:
    line = line_of(where.raw, where.path)
    return where.file if line is None else f"{where.file}:{line}"


def fold_causes(errors: list[DataError], refs: list[Ref], definitions: list[Definition]) -> list[DataError]:
    """One slip, one error. An id misspelt where it is defined leaves the definition unused and every
    reference to the right spelling unknown: reported once, at the definition, with the references
    counted. An item whose id is missing leaves the references to it unknown: counted under the
    missing id's error. The errors the slip causes (those references, an empty category) are dropped."""
    used: dict[str, set[str]] = {}
    for r in refs:
        if r.error is None:
            for k in r.kinds:
                used.setdefault(k, set()).add(r.id)
    counts: dict[tuple[str, str], int] = {}
    for d in definitions:
        if d.id is not None:
            counts[(d.kind, d.id)] = counts.get((d.kind, d.id), 0) + 1
    unknown: dict[str, list[Ref]] = {}
    for r in refs:
        if r.error is not None:
            unknown.setdefault(r.id, []).append(r)

    def kinds_of(group: list[Ref]) -> set[str]:
        return set.intersection(*(set(r.kinds) for r in group))

    dropped: set[int] = set()  # id() of errors folded into another
    replaced: dict[int, DataError] = {}
    added: list[DataError] = []
    claimed: set[tuple[str, str]] = set()
    # most-used unknown spelling first, so that it claims the nearest unused definition
    for x, group in sorted(unknown.items(), key=lambda item: (-len(item[1]), item[0]))[:NEAR_LOOKUPS]:
        kinds = kinds_of(group)
        unused = {d.id: d for d in definitions if d.kind in kinds and d.id is not None and d.id != x
                  and counts[(d.kind, d.id)] == 1 and d.id not in used.get(d.kind, set()) and (d.kind, d.id) not in claimed}
        near = difflib.get_close_matches(x, sorted(unused), n=1, cutoff=0.75) if len(x) <= 64 else []
        if not near:
            continue
        d = unused[near[0]]
        claimed.add((d.kind, d.id))
        n, first = len(group), _at(group[0].where)
        name = KIND_NAMES.get(d.kind, d.kind)
        if n == 1:
            # one use and one unused definition: either may be the slip; the reference is the usual edit
            ref = group[0].error
            replaced[id(ref)] = DataError(
                ref.file, ref.line, ref.field,
                f"{name}の id「{shown(x)}」が見つかりません。もしかして「{shown(d.id)}」？（{_at(d.where)} にあり、"
                f"どこからも使われていません）どちらかの綴りを直してください", ref.key)
        else:
            added.append(d.where.error(
                f"{name}の id「{shown(d.id)}」はどこからも使われていません。ほか {n} か所（{first} など）が、よく似た"
                f"「{shown(x)}」を使っています。id の綴りを確かめてください（ここを「{shown(x)}」にすれば {n} か所とも直ります）",
                "misspelt_id"))
            dropped |= {id(r.error) for r in group}
        if d.kind == "category":  # the category the slip left without agencies
            field = messages.field_path(d.where.path)
            dropped |= {id(e) for e in errors if e.key == "empty_category" and e.file == d.where.file and e.field == field}
        del unknown[x]
    # an item without an id, or with the id of another item: the references left unknown may be to it
    lost: list[Definition] = [d for d in definitions if d.id is None]
    firsts: set[tuple[str, str]] = set()
    for d in definitions:
        if d.id is not None and (d.kind, d.id) in firsts:
            lost.append(d)
        elif d.id is not None:
            firsts.add((d.kind, d.id))
    for kind in sorted({d.kind for d in lost}):
        group = [r for x in sorted(unknown) for r in unknown[x] if kind in r.kinds and id(r.error) not in dropped]
        if not group:
            continue
        missing = None
        for d in (d for d in lost if d.kind == kind):
            field = messages.field_path(d.where.path)
            missing = next((e for e in errors if e.file == d.where.file and e.field == field
                            and e.key in ("missing", "empty_value", "duplicate_id")), None)
            if missing is not None:
                break
        if missing is None:
            continue
        ids = sorted({r.id for r in group})
        name = KIND_NAMES.get(kind, kind)
        quoted = "".join(f"「{shown(x)}」" for x in ids[:3]) + ("など" if len(ids) > 3 else "")
        hint = f"この項目の id が「{shown(ids[0])}」なら、「id: {shown(ids[0])}」と書いてください" if len(ids) == 1 else \
            "どれかがこの項目の id かもしれません。書き足してください"
        replaced[id(missing)] = DataError(
            missing.file, missing.line, missing.field,
            f"{missing.message}。ほか {len(group)} か所（{_at(group[0].where)}{' など' if len(group) > 1 else ''}）が、見つからない{name}の id{quoted}を使っています。{hint}",
            missing.key)
        dropped |= {id(r.error) for r in group}
    return [replaced.get(id(e), e) for e in errors if id(e) not in dropped] + added


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
