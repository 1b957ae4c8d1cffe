"""Which pages a Guide makes: their source path, URL, template and context. Pure: no MkDocs here."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data import a11y, flows
from ..data.guide import Guide
from . import easy, jsonld, published


@dataclass(frozen=True)
class PageSpec:
    src: str  # path under docs/ as MkDocs sees it, e.g. "agencies/kishiro.md"
    template: str  # template in tsunagu/site/templates
    context: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def url(self) -> str:
        """The page's URL with directory URLs: "agencies/kishiro/"."""
        stem = self.src[:-3]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"


def generated_pages(guide: Guide, site_url: str | None = None) -> list[PageSpec]:
    """One page per chapter, programme, meeting, agency and case, and the hub's page. site_url: the
    site's address where it is known (MkDocs' site_url), for the JSON-LD's absolute @id and url."""
    pages = [PageSpec(f"about/{c.id}.md", "chapter.md.j2", {"chapter": c}) for c in guide.chapters]
    pages.append(PageSpec(f"{guide.hub.id}.md", "hub.md.j2", {"hub": guide.hub, "jsonld": jsonld.hub_jsonld(guide, site_url)}))
    pages += [PageSpec(f"programs/{p.id}.md", "program.md.j2", {"program": p}) for p in guide.programs]
    pages += [PageSpec(f"meetings/{m.id}.md", "meeting.md.j2", {"meeting": m}) for m in guide.meetings]
    pages += [PageSpec(f"agencies/{a.id}.md", "agency.md.j2", {"agency": a, "jsonld": jsonld.agency_jsonld(guide, a, site_url)})
              for a in guide.agencies]
    if guide.directory_split:  # a large directory: a page per category (category ids never equal agency ids)
        pages += [PageSpec(f"agencies/{c.id}.md", "agency_category.md.j2", {"category": c}) for c in guide.categories]
    pages += [PageSpec(f"cases/{c.id}.md", "case.md.j2", {"case": c}) for c in guide.cases]
    pages += [PageSpec(f"areas/{c.id}.md", "areas.md.j2", {"category": c}) for c in guide.area_categories()]
    if guide.flows:
        pages.append(PageSpec("flows/index.md", "flows_index.md.j2"))
    for flow in guide.flows:
        pages += [PageSpec(fp.src, "flow_outcome.md.j2" if fp.is_outcome else "flow_question.md.j2", {"fp": fp, "E": easy.PLAIN})
                  for fp in flows.flow_pages(flow)]
        pages.append(PageSpec(f"flows/{flow.flow.id}/overview/index.md", "flow_overview.md.j2",
                              {"flow": flow, "paths": flows.paths(flow), "structure": flows.structure(flow)}))
    pages.append(PageSpec("search/index.md", "search.md.j2"))
    pages.append(PageSpec("opendata/index.md", "opendata.md.j2", {"published": published}))
    if guide.glossary:
        pages.append(PageSpec("glossary/index.md", "glossary.md.j2", {"E": easy.PLAIN}))
    pages += easy_pages(guide)
    if guide.accessibility:
        pages.append(PageSpec("accessibility/index.md", "accessibility.md.j2"))
        pages.append(PageSpec("accessibility/results.md", "accessibility_results.md.j2", {
            "criteria": a11y.CRITERIA, "status_ja": a11y.STATUS_JA, "criteria_counts": a11y.counts}))
    return pages


def easy_pages(guide: Guide) -> list[PageSpec]:
    """The Easy Japanese (やさしい日本語) twin of every residents' page, under easy/: the home page, the
    residents' page (with the directory as residents use it and the emergency lines), every page of the
    residents' flows (the same templates and paths as their plain twins: one flow, two texts), the glossary."""
    e = easy.EASY
    pages = [PageSpec(easy.PREFIX + "index.md", "easy_home.md.j2", {"E": e}),
             PageSpec(easy.PREFIX + "residents.md", "easy_residents.md.j2", {"E": e})]
    for flow in guide.flows_for("residents"):
        pages += [PageSpec(easy.PREFIX + fp.src, "flow_outcome.md.j2" if fp.is_outcome else "flow_question.md.j2", {"fp": fp, "E": e})
                  for fp in flows.flow_pages(flow)]
    if guide.glossary:
        pages.append(PageSpec(easy.PREFIX + "glossary/index.md", "glossary.md.j2", {"E": e}))
    return pages


def easy_twins(guide: Guide) -> dict[str, str]:
    """Each residents' page's URL -> its Easy Japanese twin's URL."""
    return {easy.plain_url(spec.url): spec.url for spec in easy_pages(guide)}


def omitted_docs(guide: Guide) -> frozenset[str]:
    """Hand-written section pages (docs/ paths) the site leaves out because the data gives them
    nothing to list: a section page over nothing would be a heading over an empty list."""
    out = set()
    if not guide.cases:
        out.add("cases/index.md")
    if not guide.closure_programs():
        out.add("closure.md")
    return frozenset(out)


def nav(guide: Guide) -> list:
    """The site navigation: sections only, never every entity page (see ARCHITECTURE: quadratic builds)."""
    items: list = [
        {"ホーム": "index.md"},
        {"お住まいの方へ": "residents.md"},
        {"支援者の方へ": "professionals.md"},
        {"相談先一覧": "agencies/index.md"},
    ]
    if guide.flows:
        items.append({"質問で相談先を探す": "flows/index.md"})
    items += [{c.title: f"about/{c.id}.md"} for c in guide.chapters]
    sections = [
        {"事業": "programs/index.md"},
        {guide.support_flow.title: "support-flow.md"},
        {"支援会議": "meetings/index.md"},
        {"終結の基準": "closure.md"},
        {guide.hub.name: f"{guide.hub.id}.md"},
        {"事例": "cases/index.md"},
    ]
    omitted = omitted_docs(guide)
    items += [item for item in sections if not omitted.intersection(item.values())]
    if guide.glossary:
        items.append({"用語集": "glossary/index.md"})
    if guide.accessibility:
        items.append({"ウェブアクセシビリティ方針": "accessibility/index.md"})
    items.append({"やさしい日本語": easy.PREFIX + "index.md"})
    items.append({"オープンデータ": "opendata/index.md"})
    items.append({"データの編集ガイド": "editing.md"})
    return items


def search_excluded(guide: Guide) -> set[str]:
    """URLs the site search leaves out: the search page, the 404 page, flow pages that repeat
    another (a flow is found by its first question; each outcome by its first path), and the Easy
    Japanese twins (each says what a page in the index says; as results they took the places of
    other right pages; each is one link away from its twin)."""
    out = {"search/", "404.html", *easy_twins(guide).values()}
    for flow in guide.flows:
        seen: set[str] = set()
        for fp in flows.flow_pages(flow):
            if (not fp.is_outcome and fp.answers) or fp.node.id in seen:
                out.add(fp.url)
            seen.add(fp.node.id)
    return out
