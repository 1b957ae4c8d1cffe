"""Load a data folder for a site: the data's own checks (data/load.py), then the pages its Guide
makes, counted (site/counts.py) and set against each other, the hand-written pages and the names the
build and the theme use (site/reserved.py). A data error and a page that would collide are both
mistakes in the data, reported with file and line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..data import model as m
from ..data.errors import DataError, DataErrors
from ..data.guide import Guide
from ..data.load import contact_phones, read_guide, uncallable_outcomes
from ..data.validate import KIND_NAMES, Located, PageAt, page_collisions
from . import counts, pages, reserved


def load_guide(data_dir: str | Path, hand_written: Iterable[str] = (), site: reserved.SiteNames | None = None) -> Guide:
    """The validated Guide of a data folder, or DataErrors listing every problem found.
    hand_written: the docs/ paths of the hand-written pages, so that no generated page takes their URL.
    site: the files the build and the theme write and the element ids they use (reserved.own() if not given)."""
    read = read_guide(data_dir)
    guide, found_flows = read.guide, read.found_flows
    # the pages the site will have, counted before any is made (site/counts.py)
    too_many = counts.page_errors(guide, read.folder, {f.flow.id: where.file for f, where in found_flows})
    if too_many:
        raise DataErrors(too_many)
    errors = page_errors(guide, read.raws, read.shown, found_flows, hand_written, site) + uncallable_outcomes(guide, found_flows)
    errors += contact_phones(guide, found_flows)
    if errors:
        raise DataErrors(errors)
    return guide


# Where the id of each kind of entity page is written: (context name in the page spec, file, top-level key)
_PAGE_KINDS = [("chapter", "narrative", "chapters"), ("hub", "hub", None), ("program", "programs", "programs"),
               ("meeting", "meetings", "meetings"), ("agency", "agencies", "agencies"), ("case", "cases", "cases"),
               ("category", "agencies", "categories")]


def page_errors(guide: Guide, raws: dict, shown: dict, found_flows: list[tuple[m.FlowFile, Located]],
                hand_written: Iterable[str] = (), site: reserved.SiteNames | None = None) -> list[DataError]:
    """Every page the Guide generates, against each other, the hand-written pages (docs/ paths) and
    the files the build and the theme write; ids that become element ids, against the site's own."""
    flow_where = {flow.flow.id: where for flow, where in found_flows}
    generated: list[PageAt] = []
    for spec in pages.generated_pages(guide):
        page = PageAt(spec.url, f"サイトのページ /{spec.url}", None)
        for kind, stem, key in _PAGE_KINDS:
            entity = spec.context.get(kind)
            if entity is None:
                continue
            if key is None:
                path: tuple = (kind, "id")
            else:
                items = raws.get(stem, {}).get(key) or []
                path = (key, next((i for i, it in enumerate(items) if isinstance(it, dict) and it.get("id") == entity.id), 0), "id")
            page = PageAt(spec.url, f"{KIND_NAMES[kind]}「{entity.id}」のページ", Located(shown[stem], raws.get(stem), path),
                          index=spec.src.rsplit("/", 1)[-1] == "index.md")
        fp = spec.context.get("fp") or spec.context.get("flow")
        flow = getattr(fp, "flow", None)
        if isinstance(flow, m.FlowInfo):
            flow = fp
        if flow is not None and flow.flow.id in flow_where:
            where = flow_where[flow.flow.id]
            page = PageAt(spec.url, f"質問の流れ「{flow.flow.id}」のページ", Located(where.file, where.raw, ("flow", "id")))
        generated.append(page)
    written = [PageAt(pages.PageSpec(src, "").url, f"手書きのページ（docs/{src}）", None) for src in hand_written
               if src.endswith(".md")]
    errors = page_collisions(generated, written)
    site = site or reserved.own()
    reported = {(e.file, e.line, e.field) for e in errors}
    errors += [e for e in reserved.file_collisions(generated, site.files) if (e.file, e.line, e.field) not in reported]
    # field and category ids anchor the directory's headings and tables (macros.md.j2), term ids the glossary's
    anchors = [("field", f.id, Located(shown["fields"], raws.get("fields"), ("fields", i, "id"))) for i, f in enumerate(guide.fields)]
    anchors += [("category", c.id, Located(shown["agencies"], raws.get("agencies"), ("categories", i, "id")))
                for i, c in enumerate(guide.categories)]
    anchors += [("term", t.id, Located(shown["glossary"], raws.get("glossary"), ("terms", i, "id")))
                for i, t in enumerate(guide.glossary)]
    return errors + reserved.element_id_errors(anchors, site.element_ids)
