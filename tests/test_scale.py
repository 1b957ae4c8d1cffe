"""Scale (issue 14): the Guide's look-ups, built once, give what a scan of the data gives, on every
city we hold and on a generated city ten times Kamakura; a large directory gets a page per category
and the section pages link to those pages instead of embedding every table. No timings here: the
figures come from bench/scale_benchmark.py."""

from __future__ import annotations

import os
import posixpath
import re
import sys
from html.parser import HTMLParser

import pytest

from conftest import DATA, ROOT, TINY, mkdocs_build
from htmlread import page_of, read
from tsunagu import load_guide
from tsunagu.site import search
from tsunagu.data.guide import DIRECTORY_SPLIT_OVER

sys.path.insert(0, str(ROOT / "bench"))
from scale_benchmark import scaled_data  # noqa: E402

SECOND = ROOT / "tests" / "fixtures" / "second_city"


@pytest.fixture(scope="module")
def ten_times(tmp_path_factory):
    return load_guide(scaled_data(DATA, tmp_path_factory.mktemp("scale") / "data-10", 10))


# ----------------------------------------------------------------------------
# The look-ups against a plain scan of the data (what the Guide did before issue 14)
# ----------------------------------------------------------------------------


def scanned(g):
    """Every derived view computed by scanning all of the data on each call."""
    def agencies_in(cid):
        return [a for a in g.agencies if a.category == cid]

    def provider_agencies(pr):
        return [a for c in pr.categories for a in agencies_in(c)] + [a for aid in pr.agencies for a in g.agencies if a.id == aid]

    def program_agencies(p):
        found = [a for pr in p.providers for a in provider_agencies(pr)]
        return [a for i, a in enumerate(found) if a.id not in {b.id for b in found[:i]}]  # each desk once

    return {
        "agencies_in": agencies_in,
        "categories_in": lambda fid: [c for c in g.categories if fid in c.field_ids],
        "provider_agencies": provider_agencies,
        "program_agencies": program_agencies,
        "agency_programs": lambda a: [p for p in g.programs if a in program_agencies(p)],
        "meetings_of": lambda rid: [mt for mt in g.meetings if rid in (mt.in_charge, mt.convened_by)],
        "meetings_in": lambda gid: [mt for mt in g.meetings if mt.group == gid],
        "meetings_reviewing": lambda pid: [mt for mt in g.meetings if pid in mt.reviews],
        "cases_with_program": lambda pid: [c for c in g.cases if any(pid in s.programs for s in c.steps)
                                           or any(a.program == pid for a in c.actions)],
        "cases_with_meeting": lambda mid: [c for c in g.cases if any(mid in s.meetings for s in c.steps)
                                           or any(mid in a.meetings for a in c.actions)],
        "hub_programs": lambda: [p for p in g.programs if any(pr.hub for pr in p.providers)],
        "closure_programs": lambda: [p for p in g.programs if p.closure],
    }


def assert_views_match_scan(g):
    scan = scanned(g)
    ref_ids = [o.id for o in g.offices] + [c.id for c in g.categories] + [a.id for a in g.agencies] + [g.hub.id]
    cases = {
        "agencies_in": [c.id for c in g.categories] + ["no-such-category"],
        "categories_in": [f.id for f in g.fields] + ["no-such-field"],
        "provider_agencies": [pr for p in g.programs for pr in p.providers],
        "program_agencies": list(g.programs),
        "agency_programs": list(g.agencies),
        "meetings_of": ref_ids,
        "meetings_in": [gr.id for gr in g.meeting_groups],
        "meetings_reviewing": [p.id for p in g.programs],
        "cases_with_program": [p.id for p in g.programs],
        "cases_with_meeting": [mt.id for mt in g.meetings],
    }
    for view, args in cases.items():
        for arg in args:
            assert getattr(g, view)(arg) == scan[view](arg), (view, arg)
    for view in ("hub_programs", "closure_programs"):
        assert getattr(g, view)() == scan[view](), view
    # the comparison is not empty by accident: each of these finds something for some argument
    for view in ("agencies_in", "categories_in", "provider_agencies", "program_agencies", "agency_programs",
                 "meetings_in", "meetings_of"):
        assert any(scan[view](arg) for arg in cases[view]), view


@pytest.mark.parametrize("data", [DATA, TINY, SECOND], ids=["kamakura", "tiny", "second"])
def test_look_ups_give_what_a_scan_gives(data):
    assert_views_match_scan(load_guide(data))


def test_look_ups_give_what_a_scan_gives_at_ten_times(ten_times):
    kamakura = load_guide(DATA)
    assert len(ten_times.agencies) == 10 * len(kamakura.agencies)
    assert len(ten_times.meetings) == 10 * len(kamakura.meetings)
    assert_views_match_scan(ten_times)


def test_a_look_up_hands_out_its_own_list(ten_times):
    """The maps are built once: changing a result must not change the next answer."""
    cat = ten_times.categories[0].id
    first = ten_times.agencies_in(cat)
    first.clear()
    assert ten_times.agencies_in(cat) == [a for a in ten_times.agencies if a.category == cat] != []
    programs = ten_times.agency_programs(ten_times.agencies[0])
    programs.append(None)
    assert None not in ten_times.agency_programs(ten_times.agencies[0])


def test_a_copy_of_an_agency_is_looked_up_by_value(ten_times):
    """Templates pass the Guide's own objects; an equal copy still gets the same programmes."""
    agency = next(a for a in ten_times.agencies if ten_times.agency_programs(a))
    assert ten_times.agency_programs(agency.model_copy()) == ten_times.agency_programs(agency)


def test_ten_times_makes_every_programme_name_every_category(ten_times):
    """The benchmark's stress case (issue 14): every programme with providers reaches every category."""
    for p in ten_times.programs:
        named = [pr for pr in p.providers if not pr.hub]
        if named:
            assert {c.id for c in ten_times.categories} <= set(named[0].categories), p.id


# ----------------------------------------------------------------------------
# The split directory of a large city (one modest build)
# ----------------------------------------------------------------------------

def _hrefs(page, from_url: str) -> set[str]:
    """Every link within the site on a page, as a site URL ("agencies/x/", "agencies/#id", "" for home)."""
    out = set()
    for link in page.links():
        href = link.attrs["href"]
        if re.match(r"^[a-z]+:", href):
            continue
        path, _, frag = href.partition("#")
        if path:
            joined = posixpath.normpath(posixpath.join(from_url or ".", path))
            url = "" if joined == "." else joined + ("/" if path.endswith(("/", ".")) else "")
        else:
            url = from_url
        out.add(url + (f"#{frag}" if frag else ""))
    return out


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    k = DIRECTORY_SPLIT_OVER // len(load_guide(DATA).agencies) + 1  # just over the threshold
    data = scaled_data(DATA, tmp_path_factory.mktemp("large") / "data", k)
    guide = load_guide(data)
    site = tmp_path_factory.mktemp("large") / "site"
    # no Chromium for the booklet's PDF: it takes seconds and is not what this build is for
    os.environ["TSUNAGU_CHROMIUM"], before = "/nonexistent/chromium", os.environ.get("TSUNAGU_CHROMIUM")
    try:
        result = mkdocs_build(data, site)
    finally:
        os.environ.pop("TSUNAGU_CHROMIUM") if before is None else os.environ.update(TSUNAGU_CHROMIUM=before)
    assert result.returncode == 0, result.stdout + result.stderr
    return guide, site


def test_kamakura_keeps_one_directory():
    guide = load_guide(DATA)
    assert len(guide.agencies) <= DIRECTORY_SPLIT_OVER and not guide.directory_split
    assert guide.ref(guide.categories[0].id).url == f"agencies/#{guide.categories[0].id}"


def test_a_large_directory_has_a_page_per_category(large):
    guide, site = large
    assert len(guide.agencies) > DIRECTORY_SPLIT_OVER and guide.directory_split
    for c in guide.categories:
        page = page_of(site, f"agencies/{c.id}/")
        rows = [e.text.strip() for e in page.elements if e.tag == "th" and e.attrs.get("scope") == "row"]
        assert rows == [a.name for a in guide.agencies_in(c.id)], c.id
        linked = {u for u in _hrefs(page, f"agencies/{c.id}/") if re.fullmatch(r"agencies/[^/#]+/", u)}
        assert linked == {f"agencies/{a.id}/" for a in guide.agencies_in(c.id)}, c.id
        assert guide.ref(c.id).url == f"agencies/{c.id}/"


@pytest.mark.parametrize("section", ["agencies/", "residents/"])
def test_section_pages_link_to_the_category_pages_instead_of_every_table(large, section):
    guide, site = large
    page = page_of(site, section)
    links = _hrefs(page, section)
    for c in guide.categories:
        assert f"agencies/{c.id}/" in links, (section, c.id)
    assert not any(e.tag == "table" and "ts-agencies" in e.attrs.get("class", "") for e in page.elements), section
    assert not {f"agencies/{a.id}/" for a in guide.agencies} & links, section
    # and the page says how many agencies each category page lists
    for c in guide.categories:
        assert f"{c.name}（{len(guide.agencies_in(c.id))} カ所）" in page.main_text.replace("\n", ""), (section, c.id)


def test_programme_pages_link_to_category_pages_instead_of_their_tables(large):
    guide, site = large
    checked = 0
    for p in guide.programs:
        named = [pr for pr in p.providers if not pr.hub and pr.categories]
        if not named:
            continue
        page = page_of(site, f"programs/{p.id}/")
        links = _hrefs(page, f"programs/{p.id}/")
        assert {f"agencies/{c}/" for pr in named for c in pr.categories} <= links, p.id
        rows = [e for e in page.elements if e.tag == "th" and e.attrs.get("scope") == "row"]
        assert len(rows) <= sum(len(pr.agencies) + len(pr.offices) for pr in p.providers), p.id
        checked += 1
    assert checked


def test_no_link_points_at_a_category_anchor_that_the_split_removed(large):
    guide, site = large
    category_ids = {c.id for c in guide.categories}
    for html in site.rglob("*.html"):
        rel = html.relative_to(site).as_posix()
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        for href in _hrefs(read(html), url):
            path, _, frag = href.partition("#")
            if path == "agencies/" and frag:
                assert frag not in category_ids or frag in {f.id for f in guide.fields}, (url, href)
            if re.fullmatch(r"agencies/[^/#]+/", path):
                assert (site / path / "index.html").exists(), (url, href)


# ----------------------------------------------------------------------------
# The search index's reading of a page, against the standard library's HTML parser
# ----------------------------------------------------------------------------


class _ReferenceText(HTMLParser):
    """What the index should read from a page, by the standard library's HTML parser (slow)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip = 0  # inside a skipped element
        self.stack: list[tuple[str, bool]] = []
        self.title, self.headings, self.parts = "", [], []
        self.in_heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in search.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipping = bool(classes & set(search.SKIP_CLASSES)) or tag in ("script", "style")
        self.stack.append((tag, skipping))
        if tag == "article":
            self.depth += 1
        if skipping:
            self.skip += 1
        if self.depth and not self.skip and tag in ("h1", "h2", "h3"):
            self.in_heading = tag
            if tag != "h1":
                self.headings.append("")

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, skipping = self.stack.pop()
            if skipping:
                self.skip -= 1
            if open_tag == "article":
                self.depth -= 1
            if open_tag in ("h1", "h2", "h3"):
                self.in_heading = None
            if open_tag == tag:
                break
        if tag in ("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "caption"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        if self.in_heading == "h1":
            self.title += data
            return
        if self.in_heading:
            self.headings[-1] += data
        self.parts.append(data)


def _reference(html: str) -> tuple[str, list[str], str]:
    reader = _ReferenceText()
    reader.feed(html)
    return (reader.title.strip(), [h.strip() for h in reader.headings if h.strip()],
            re.sub(r"\s+", " ", "".join(reader.parts)).strip())


def test_the_search_index_reads_every_page_as_an_html_parser_would(large):
    """search.page_text reads the <article> alone, by regular expressions; the whole page read by
    HTMLParser gives the same title, headings and text."""
    _, site = large
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 100
    for html in pages:
        text = html.read_text(encoding="utf-8")
        assert search.page_text(text) == _reference(text), html


@pytest.mark.parametrize("article", [
    '<h1>題 <a href="x">名</a></h1><p>本文</p><div class="ts-sr"><p>隠す</p></div>続き',
    '<h1>題</h1><div class="a ts-answers"><div><div>入れ子</div></div><p>回答</p></div><p>後</p>',
    '<h1>題</h1><p>前</p><script type="application/ld+json">{"a": "</p><h2>x</h2>"}</script><p>後</p>',
    '<h1>題</h1><h2>見出し<span class="ts-sr">（隠す）</span></h2><p>a &amp; b &lt;c&gt;</p>',
    "<h1>題</h1><p class='ts-updated'>日付</p><ul><li>一</li><li>二</li></ul><br class=\"ts-sr\">末",
    '<h1>題</h1><p class="ts-sr-only">残す</p><table><caption>表</caption><tr><th>列</th><td>値</td></tr></table>',
    '<h1>題</h1><nav class="ts-flow-nav"><a>戻る</a></nav><h3>小見出し</h3>x < y<!-- 注 -->z',
])
def test_the_search_index_reads_odd_markup_as_an_html_parser_would(article):
    page = f"<html><body><header>頭</header><article class=\"md-content__inner\">{article}</article></body></html>"
    assert search.page_text(page) == _reference(page)


def test_outcome_pages_link_to_the_category_page_instead_of_its_table(large):
    guide, site = large
    checked = 0
    for html in (site / "flows").rglob("index.html"):
        page = read(html)
        url = html.parent.relative_to(site).as_posix() + "/"
        category_links = {u for u in _hrefs(page, url) if u in {f"agencies/{c.id}/" for c in guide.categories}}
        if category_links:
            checked += 1
            rows = {e.text.strip() for e in page.elements if e.tag == "th" and e.attrs.get("scope") == "row"}
            # an outcome may list an agency it names itself, never every agency of a category
            for link in category_links:
                names = {a.name for a in guide.agencies_in(link.split("/")[1])}
                assert not names <= rows, (url, link)
    assert checked


def test_site_relative_links_are_those_posixpath_gives():
    """render._relpath replaces posixpath.relpath (its getcwd calls were 4 % of a 100x build)."""
    import itertools
    from tsunagu.site.render import _relpath
    parts = ["agencies", "x", "programs", "flows", "a"]
    paths = ["."] + ["/".join(p) for n in (1, 2, 3) for p in itertools.product(parts, repeat=n)]
    for path, start in itertools.product(paths, paths[:60]):
        assert _relpath(path, start) == posixpath.relpath(path, start), (path, start)
