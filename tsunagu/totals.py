"""Limits on the whole site (tsunagu/limits.py), checked before anything grows: the bytes of all data
files together before any is parsed, and the pages the site will generate before any is made. Pure."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable
from pathlib import Path

from . import flows, limits, pages
from .errors import DataError
from .guide import Guide

# ----------------------------------------------------------------------------
# Bytes of data
# ----------------------------------------------------------------------------


def data_bytes_errors(data_dir: Path, names: list[str], show: Callable[[str], str]) -> list[DataError]:
    """names: the files the loader will read, relative to data_dir; show: a name as messages show it.
    Sizes come from stat. A file that is missing, odd, outside the data folder or over one file's limit
    is left to the reader, which reports it on its own."""
    sizes: list[tuple[int, str]] = []
    root = os.path.realpath(data_dir)
    for name in names:
        if os.path.commonpath([root, os.path.realpath(data_dir / name)]) != root:
            continue  # a link out of the data folder: the reader refuses it, and its size is not shown
        try:
            info = os.stat(data_dir / name)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_size <= limits.FILE_BYTES:
            sizes.append((info.st_size, name))
    total = sum(size for size, _ in sizes)
    if total <= limits.DATA_BYTES:
        return []
    largest = "、".join(f"{show(name)}（{size:,} バイト）" for size, name in sorted(sizes, key=lambda x: (-x[0], x[1]))[:5])
    message = (f"データのファイルが合わせて {total:,} バイト（{len(sizes):,} ファイル）あり、大きすぎます"
               f"（合わせて {limits.DATA_BYTES:,} バイトまで）。大きいファイル: {largest}。"
               f"間違えて置いたファイルや、使わない質問の流れのファイルを消してください")
    return [DataError(show("."), None, "", message, "data_too_large")]


# ----------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------


def flow_page_counts(guide: Guide) -> list[tuple[int, str]]:
    """(pages, flow id) for every flow: its pages (counted, not walked; twice for a residents' flow,
    whose pages have Easy Japanese twins: pages.easy_pages) and its overview."""
    return [(flows.page_count(f) * (2 if f.flow.audience == "residents" else 1) + 1, f.flow.id) for f in guide.flows]


def other_page_count(guide: Guide) -> int:
    """The generated pages that are not a flow's: pages.generated_pages itself, of the Guide without flows."""
    return len(pages.generated_pages(dataclasses.replace(guide, flows=(), _index={})))


def page_total(guide: Guide) -> int:
    """How many pages pages.generated_pages(guide) gives, without making a flow's pages."""
    return other_page_count(guide) + sum(n for n, _ in flow_page_counts(guide)) + (1 if guide.flows else 0)


def page_errors(guide: Guide, folder: str, flow_files: dict[str, str]) -> list[DataError]:
    """folder: the data folder as messages show it; flow_files: flow id -> its file as messages show it."""
    per_flow = flow_page_counts(guide)
    others = other_page_count(guide)
    in_flows = sum(n for n, _ in per_flow) + (1 if guide.flows else 0)
    total = others + in_flows
    if total <= limits.SITE_PAGES:
        return []
    largest = "、".join(f"{flow_files.get(id_, id_)}（{n:,} ページ）" for n, id_ in sorted(per_flow, key=lambda x: (-x[0], x[1]))[:5])
    flow_part = f"質問の流れ {len(per_flow):,} 個で {in_flows:,} ページ（多いもの: {largest}）" if per_flow else "質問の流れ 0 ページ"
    advice = ("使わない質問の流れのファイルを消すか、分かれた道筋を同じ結果にまとめてください" if in_flows >= others
              else "相談先・事業・支援会議・事例に、同じものを二度書いていないか確かめてください")
    message = (f"サイトのページが合わせて {total:,} ページになり、多すぎます（{limits.SITE_PAGES:,} ページまで）。"
               f"内訳: {flow_part}、相談先・事業・支援会議・事例などのページ {others:,} ページ。{advice}")
    return [DataError(folder, None, "", message, "site_too_large")]
