"""The built Kamakura site: read the real HTML that `mkdocs build --strict` wrote."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import DATA
from htmlread import page_of, read
from tsunagu import load_guide
from tsunagu.data.yamlfile import read_yaml

pytestmark = pytest.mark.slow
GUIDE = load_guide(DATA)
PHONES = [(a, p) for a in GUIDE.agencies for p in a.phones]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def directory(kamakura_site):
    return page_of(kamakura_site, "agencies")


@pytest.mark.parametrize("agency, phone", PHONES, ids=[f"{a.id}-{p.display}" for a, p in PHONES])
def test_directory_lists_every_agency_and_phone_as_text_and_tel_link(directory, agency, phone):
    assert agency.name in directory.main_text
    assert phone.display in directory.main_text
    assert directory.tel_links().get(phone.tel) == phone.display


@pytest.mark.parametrize("agency", GUIDE.agencies, ids=lambda a: a.id)
def test_each_agency_has_its_own_page(kamakura_site, agency):
    page = page_of(kamakura_site, f"agencies/{agency.id}")
    h1 = [e.text for e in page.elements if e.tag == "h1"]
    assert h1 == [agency.name]
    assert set(page.tel_links()) >= {p.tel for p in agency.phones}


def test_every_tel_link_on_the_site_is_a_number_of_the_data_and_fax_is_never_one(kamakura_site):
    known = {p.tel: p.display for _, p in PHONES}
    known |= {p.tel: p.display for p in GUIDE.hub.phones}
    known |= {p.tel: p.display for o in GUIDE.offices for p in o.phones}
    known |= {f"tel:{n.phone}": n.phone for n in GUIDE.national}
    from tsunagu.data.phone import tel_uri
    fax_link = f'href="{tel_uri(GUIDE.hub.fax)}"'
    seen = set()
    for html in kamakura_site.rglob("*.html"):
        for href, text in read(html).tel_links().items():
            assert known.get(href) == text, f"{html}: {href} {text}"
            seen.add(href)
        assert fax_link not in html.read_text(encoding="utf-8")
    assert seen == set(known)
    assert GUIDE.hub.fax_display in page_of(kamakura_site, "agencies").main_text  # shown, as text


def test_entity_pages_exist_with_their_names(kamakura_site):
    for url, name in ([(f"programs/{p.id}", p.name) for p in GUIDE.programs]
                      + [(f"meetings/{m.id}", m.name) for m in GUIDE.meetings]
                      + [(f"cases/{c.id}", c.title) for c in GUIDE.cases]
                      + [(GUIDE.hub.id, GUIDE.hub.name)]):
        h1 = [e.text for e in page_of(kamakura_site, url).elements if e.tag == "h1"]
        assert len(h1) == 1 and name in h1[0], url


def test_meetings_page_compares_consent_law_section_and_convenor(kamakura_site):
    page = page_of(kamakura_site, "meetings")
    rows = [e.text for e in page.elements if e.tag == "tr"][1:]
    assert len(rows) == len(GUIDE.meetings)
    for meeting, row in zip(GUIDE.meetings, rows):
        assert meeting.name in row
        if meeting.law:
            assert meeting.law in row
        if meeting.in_charge:
            assert GUIDE.ref(meeting.in_charge).name in row
        if meeting.convened_by:
            assert GUIDE.ref(meeting.convened_by).name in row
        expected_consent = {"given": "同意が得られている", "not_given": "同意が得られていない", None: "―"}
        assert expected_consent[meeting.consent] in row


def test_closure_table_pairs_each_programme_with_its_criterion(kamakura_site):
    page = page_of(kamakura_site, "closure")
    rows = [e.text for e in page.elements if e.tag == "tr"][1:]
    expected = [(p.name, p.closure.summary) for p in GUIDE.closure_programs()]
    assert len(rows) == len(expected) == 3
    for (name, summary), row in zip(expected, rows):
        assert name in row and summary in row


def test_support_flow_is_ordered_text(kamakura_site):
    page = page_of(kamakura_site, "support-flow")
    text = page.main_text
    positions = [text.index(s.title) for s in GUIDE.support_flow.steps]
    assert positions == sorted(positions)
    assert [e.attrs.get("value") for e in page.elements if e.tag == "li" and "value" in e.attrs] == \
        [str(s.number) for s in GUIDE.support_flow.steps]


def test_home_has_two_entrances(kamakura_site):
    page = page_of(kamakura_site, "")
    h2 = [e.text for e in page.elements if e.tag == "h2"]
    assert h2[:2] == ["お住まいの方へ", "支援者の方へ"]
    hrefs = [e.attrs["href"] for e in page.links()]
    assert "residents/" in hrefs and "professionals/" in hrefs


def test_navigation_lists_sections_not_entities(kamakura_site):
    # the closure page links to no agency in its content, so any agency link would come from the sidebar
    page = page_of(kamakura_site, "closure")
    agency_links = [e for e in page.links() if re.search(r"agencies/[a-z0-9-]+/$", e.attrs["href"])]
    assert agency_links == []
    assert any(e.attrs["href"].endswith("agencies/") for e in page.links())


def _data_texts(raw, key="", flow=False):
    """Every prose string in a data file (not ids, refs, numbers, dates, phones, markers)."""
    if flow and key in ("start", "next", "audience", "contacts", "national"):
        return
    if key == "source" and raw == "national":
        return
    skip = {"id", "field", "category", "categories", "agencies", "programs", "meetings", "meeting", "program",
            "group", "in_charge", "convened_by", "reviews", "operator", "publisher", "number", "fax", "issued",
            "updated", "established", "consent", "short", "url", "show", "hub", "phone", "steps", "office", "emergency"}
    if key in skip:
        return
    if isinstance(raw, dict):
        for k, v in raw.items():
            yield from _data_texts(v, k, flow)
    elif isinstance(raw, list):
        for v in raw:
            yield from _data_texts(v, key, flow)
    elif isinstance(raw, str) and raw.strip() and not raw.strip().isdigit():  # a number is not prose
        yield key, raw


def test_every_fact_of_the_data_is_on_the_site(kamakura_site):
    site_text = _squash("".join(read(p).main_text for p in kamakura_site.rglob("*.html")))
    missing = []
    for path in sorted(DATA.rglob("*.yml")):
        if path.name == "search.yml":  # words for the search box, not facts to show
            continue
        if path.name == "readings.yml":  # how words are read, shown as ruby: test_ruby.py checks each on the pages
            continue
        raw, errors = read_yaml(path, path.name)
        assert not errors
        for key, text in _data_texts(raw, flow=path.parent.name == "flows"):
            if _squash(text) not in site_text:
                missing.append(f"{path.name} {key}: {text[:50]}")
    assert missing == []


RESOURCE_ATTRS = {("script", "src"), ("img", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
                  ("video", "src"), ("audio", "src"), ("object", "data"), ("embed", "src"), ("form", "action")}


def test_built_html_references_no_other_host(kamakura_site):
    """No resource from another host; outbound links only to addresses that the data itself cites."""
    cited = {text for path in DATA.glob("*.yml") for text in re.findall(r"https?://\S+", path.read_text("utf-8"))}
    offenders = []
    for html in kamakura_site.rglob("*.html"):
        for el in read(html).elements:
            for attr in ("src", "href", "data", "action", "srcset", "poster"):
                value = el.attrs.get(attr) or ""
                if not urlsplit(value).netloc and not value.startswith("//"):
                    continue
                if el.tag == "a" and value in cited:
                    continue
                offenders.append(f"{html.relative_to(kamakura_site)}: <{el.tag} {attr}={value}>")
            style = el.attrs.get("style") or ""
            if re.search(r"url\(\s*['\"]?(https?:)?//", style):
                offenders.append(f"{html}: style {style}")
    for css in kamakura_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"(@import|url\()\s*['\"]?((https?:)?//[^'\")]+)", text):
            offenders.append(f"{css.relative_to(kamakura_site)}: {m.group(2)}")
    assert offenders == []


def test_the_policy_shows_when_it_was_established(kamakura_site):
    """A date is shown as 和暦（西暦）, not as written in the data (so not among the prose above)."""
    from tsunagu.data import dates

    established = GUIDE.accessibility.established
    text = page_of(kamakura_site, "accessibility").main_text
    assert f"{dates.wareki_month(established)}（{dates.seireki_month(established)}）" in text


def test_accessibility_results_page_shows_the_recorded_run(kamakura_site):
    run = GUIDE.a11y_run
    assert run is not None, "record a run: TSUNAGU_RECORD_A11Y=1 pytest (see README)"
    page = page_of(kamakura_site, "accessibility/results")
    text = page.main_text
    assert run.date in text
    assert f"{len(run.pages)} ページ" in text
    assert f"{run.violations} 件" in text
    for tool in run.tools:
        assert tool.name in text and tool.version in text
    rows = {e.attrs["data-criterion"]: e.text for e in page.elements if e.tag == "tr" and "data-criterion" in e.attrs}
    from tsunagu.data.a11y import CRITERIA, STATUS_JA
    assert set(rows) == {c[0] for c in CRITERIA}
    for num, row in rows.items():
        status = run.criteria[num].status if num in run.criteria else "not_tested"
        assert STATUS_JA[status] in row, num
    assert "準拠" in text and "表明するものではありません" in text


# ----------------------------------------------------------------------------
# Question flows as static pages
# ----------------------------------------------------------------------------

from tsunagu.data.flows import flow_pages  # noqa: E402

FLOW_PAGES = [p for f in GUIDE.flows for p in flow_pages(f)]


def test_every_flow_page_is_built_with_its_heading_answers_and_links(kamakura_site):
    for fp in FLOW_PAGES:
        page = page_of(kamakura_site, fp.url.rstrip("/"))
        h1 = [e.text.strip() for e in page.elements if e.tag == "h1"]
        assert h1 == [fp.node.title if fp.is_outcome else fp.node.text], fp.url
        # 変更 links: one per answer, each to the page of that question
        changes = [e.attrs["href"] for e in page.links() if "ts-change" in e.attrs.get("class", "")]
        assert len(changes) == len(fp.answers), fp.url
        for i, href in enumerate(changes):
            target = (kamakura_site / fp.url / href / "index.html").resolve()
            assert target == (kamakura_site / fp.change_url(i) / "index.html").resolve(), (fp.url, href)
        # back and restart: each once, never to this page, never both to the same page
        back = [e.attrs["href"] for e in page.links() if e.text.strip() == "前の質問に戻る"]
        restart = [e.attrs["href"] for e in page.links() if e.text.strip() == "最初からやり直す"]
        assert len(back) == (1 if fp.answers else 0), fp.url
        assert len(restart) == (1 if len(fp.answers) > 1 else 0), fp.url
        for href in back + restart:
            assert (kamakura_site / fp.url / href).resolve() != (kamakura_site / fp.url).resolve(), (fp.url, href)
        assert not set(back) & set(restart), fp.url
        if fp.is_outcome:
            assert page.tel_links(), f"{fp.url}: an outcome without a phone number to call"
        else:
            options = [e.attrs["href"] for e in page.links() if "ts-option" in e.attrs.get("class", "")]
            assert options == [f"{o.id}/" for o in fp.node.options], fp.url


def test_flow_overview_lists_every_path(kamakura_site):
    for flow in GUIDE.flows:
        page = page_of(kamakura_site, f"flows/{flow.flow.id}/overview")
        rows = [e for e in page.elements if e.tag == "tr"][1:]
        outcomes = [p for p in FLOW_PAGES if p.flow is flow and p.is_outcome]
        assert len(rows) == len(outcomes)
        for fp, row in zip(outcomes, rows):
            assert fp.node.title in row.text
            assert all(a.option.label in row.text for a in fp.answers)


def test_home_entrances_lead_into_the_flows(kamakura_site):
    home = page_of(kamakura_site, "")
    hrefs = [e.attrs["href"] for e in home.links()]
    for flow in GUIDE.flows:
        assert f"flows/{flow.flow.id}/" in hrefs


@pytest.mark.parametrize("body, line", [
    ("# 題\n\n本文\n\n{{ guide.site.title( }}\n", 5),  # a syntax error: found when compiled
    ("# 題\n\n{{ guide.no_such_thing.name }}\n", 3),  # a name the Guide does not have: found when rendered
])
def test_a_mistake_in_a_hand_written_page_is_reported_with_its_file_and_line(body, line):
    from conftest import TINY
    from tsunagu import DataErrors
    from tsunagu.build.prepare import prepare
    with pytest.raises(DataErrors) as caught:
        prepare(TINY, {"guide/page.md": body, "ok.md": "# 良い\n\n{{ guide.site.title }}\n"})
    (err,) = caught.value.errors
    assert (err.file, err.line, err.key) == ("docs/guide/page.md", line, "template_error")
    assert "ページのテンプレートに誤りがあります" in err.message


def test_hand_written_pages_render_again_after_an_edit_in_the_same_process():
    """Their compiled form is kept by name: an edited page must not come out as it was."""
    from conftest import TINY
    from tsunagu.build.prepare import prepare
    first = prepare(TINY, {"x.md": "# 一\n\n{{ guide.site.city }}のページ\n"}).docs["x.md"]
    second = prepare(TINY, {"x.md": "# 二\n\n{{ guide.site.city }}の新しいページ\n"}).docs["x.md"]
    assert "のページ" in first and "新しいページ" in second and first != second


# ----------------------------------------------------------------------------
# Titles: every page's <title> names its own content (issue 19: 29 question pages were 「Index」)
# ----------------------------------------------------------------------------


def _title_and_heading(path: Path) -> tuple[str, str]:
    """The page's <title> without the site's name, and the text of its first <h1>."""
    from html import unescape
    html = path.read_text(encoding="utf-8")
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S)[1]).strip()
    title = title.removesuffix(f" - {GUIDE.site.title}")
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", html, re.S)
    heading = _squash(unescape(re.sub(r"<[^>]+>", "", h1[1]))) if h1 else ""
    return title, heading


def test_every_page_title_names_its_own_content(kamakura_site):
    """Every built page, of every type (hand-written, generated, flow questions and outcomes, the
    booklet, 404), with no exemption: its <title> is its heading, or a part of its heading (a chapter's
    title without 「第1章」), or its heading with a word more (the print page's 「（冊子・印刷用）」)."""
    from conftest import site_pages
    wrong, types = [], set()
    for url in site_pages(kamakura_site):
        path = kamakura_site / (url if url.endswith(".html") else url + "index.html")
        title, heading = _title_and_heading(path)
        types.add(url.split("/", 1)[0] if "/" in url else url)
        if not title or title.lower() == "index" or not heading or not (
                _squash(title) in heading or heading in _squash(title)):
            wrong.append(f"{url or '/'}: <title>{title}</title> <h1>{heading}</h1>")
    assert wrong == []
    assert {"", "flows", "agencies", "programs", "meetings", "cases", "about", "glossary", "404.html"} <= types


def test_a_question_page_is_titled_by_its_question(kamakura_site):
    from tsunagu.data.flows import flow_pages
    for flow in GUIDE.flows:
        for fp in flow_pages(flow):
            if not fp.is_outcome:
                title, _ = _title_and_heading(kamakura_site / fp.url / "index.html")
                assert title == fp.node.text, fp.url


def test_an_outcomes_support_flow_steps_carry_their_own_numbers(kamakura_site):
    """A step is named by its number in the support flow as text (a browser-numbered list showed a lone
    「2.」 where an outcome names one step, and gaps where it skips one)."""
    checked = 0
    for fp in FLOW_PAGES:
        if not (fp.is_outcome and fp.node.steps):
            continue
        html = (kamakura_site / fp.url / "index.html").read_text(encoding="utf-8")
        block = re.search(r'<ul class="ts-flow-steps">(.*?)</ul>', html, re.S)
        assert block and "<ol" not in block[0], fp.url
        items = re.findall(r"<li><a [^>]*>ステップ (\d+): ", block[1])
        assert items == [str(n) for n in fp.node.steps], fp.url
        checked += 1
    assert checked
