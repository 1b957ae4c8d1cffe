"""The pages the site will generate (limits.SITE_PAGES), counted before any is made: a flow's pages
are counted, not walked. The bytes of the data files are checked in data/sizes.py. Pure."""

from __future__ import annotations

import dataclasses

from ..data import flows, limits
from ..data.errors import DataError
from ..data.guide import Guide
from . import pages


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
