"""The booklet's chapters and their order (issue 22): the generated booklet follows the printed one.

Every chapter heading the data names is printed, in the data's order, and the data's chapters are
the printed booklet's (第1章 … 第3章 of booklet.txt); each chapter holds the parts its `show` names
(Kamakura's 第2章 the programme pages, support flow and meetings, 第3章 Libero かまくら, the cases and
the closure table), in the printed booklet's order. Texts the booklet had lost are back: the 第3章
heading, the cases' introduction, the 地域福祉の推進 diagram's labels, and the booklet's own count
of 包括的相談支援事業's agencies beside the counted one, worded as on the web page.

Kamakura's site is the session's build (kamakura_site); another city's booklet is rendered from its
Guide without MkDocs (booklet.render_page).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import BOOKLET, DATA
from htmlread import page_of, read
from tsunagu.outputs import booklet
from tsunagu import load_guide

SECOND = Path(__file__).parent / "fixtures" / "second_city"
# the 地域福祉の推進 diagram of 第1章 (its labels and boxes, extracted out of reading order)
DIAGRAM_LINES = (221, 237)


def squash(text: str) -> str:
    """Text compared across the booklet's extraction and the page: NFKC, without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def chapter_heading(c) -> str:
    return (f"{c.number_label} " if c.number else "") + c.title


def part_headings(html: str) -> list[tuple[str, str]]:
    """(id, text) of each <h2 class="part">, in order."""
    return [(m.group(1), re.sub(r"<[^>]+>", "", m.group(2)).strip())
            for m in re.finditer(r'<h2 class="part" id="([^"]+)">(.*?)</h2>', html, re.S)]


def booklet_lines() -> list[str]:
    return BOOKLET.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def html(kamakura_site) -> str:
    return (kamakura_site / "booklet" / "index.html").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------
# Chapters: the data's, in its order, and the printed booklet's
# ----------------------------------------------------------------------------


def test_every_chapter_heading_is_printed_in_the_datas_order(kamakura, html):
    chapters = [(f"chapter-{c.id}", chapter_heading(c)) for c in kamakura.chapters]
    printed = [h for h in part_headings(html) if h[0].startswith("chapter-")]
    assert printed == chapters
    # and they open the booklet's parts: the directory and the publisher come after the last chapter
    ids = [i for i, _ in part_headings(html)]
    assert ids[:len(chapters)] == [i for i, _ in chapters] and ids[-2:] == ["directory", "publisher"]


@pytest.mark.usefixtures("shared_booklet")
def test_the_datas_chapters_are_the_printed_booklets():
    lines = booklet_lines()
    printed = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"第\d+章", squash(line)):
            title = next(t for t in lines[i + 1:] if t.strip())
            printed.append((squash(line), squash(title)))
    chapters = [(squash(c.number_label), squash(c.title)) for c in load_guide(DATA).chapters]
    assert printed == chapters
    assert [n for n, _ in printed] == [f"第{i}章" for i in range(1, len(printed) + 1)]


def test_the_table_of_contents_follows_the_page(kamakura, html):
    """Each top-level entry is a part heading of the page, in the page's order; a chapter's entries
    (the parts it holds) lie between its heading and the next, in order."""
    toc = booklet.toc(kamakura)
    assert [a for a, _, _ in toc] == [i for i, _ in part_headings(html)]
    starts = [html.index(f'id="{a}"') for a, _, _ in toc] + [len(html)]
    for (anchor, _, subs), start, end in zip(toc, starts, starts[1:]):
        places = [html.index(f'id="{s}"') for s, _ in subs]
        assert places == sorted(places) and all(start < p < end for p in places), anchor


# ----------------------------------------------------------------------------
# The parts each chapter holds, in the printed booklet's order
# ----------------------------------------------------------------------------


def test_each_chapter_holds_what_its_show_names(kamakura, html):
    held, rest = booklet.layout(kamakura)
    # Kamakura: every larger part is in a chapter, as in the printed booklet
    assert rest == []
    holder = {part: c.id for c in kamakura.chapters for part in held[c.id]}
    assert holder["cases"] == holder["hub"] == holder["closure"]
    anchors = {"support_flow": "support-flow", "meetings": "meetings", "hub": "hub", "cases": "cases",
               "closure": "closure", "program_pages": f"program-{kamakura.programs[0].id}"}
    ids = [i for i, _ in part_headings(html)]
    for part, anchor in anchors.items():
        chapter = f"chapter-{holder[part]}"
        following = ids[ids.index(chapter) + 1]
        assert html.index(f'id="{chapter}"') < html.index(f'id="{anchor}"') < html.index(f'id="{following}"'), part
    # the closure table comes after the cases, no longer before the support flow
    assert html.index('id="support-flow"') < html.index('id="cases"') < html.index('id="closure"')


def _probes(guide) -> dict[str, str]:
    """part -> a text of the data that the part prints and the booklet has once, where the part is."""
    intros = booklet.part_intros(guide)
    return {
        "household_problems": guide.household_problems.lead[0],
        "case_overviews": guide.cases[0].overview.situation,
        "programs": guide.programs[0].summary,
        "program_pages": guide.programs[0].lead,
        "cycle": guide.cycle.steps[0],
        "support_flow": guide.support_flow.lead,
        "meetings": guide.meeting_intro,
        "hub": guide.hub.intro[0],
        "cases": intros["cases"].body[0],
        "closure": guide.closure_programs()[0].closure.summary,
    }


@pytest.mark.usefixtures("shared_booklet")
def test_the_parts_come_in_the_printed_booklets_order(kamakura, html):
    held, rest = booklet.layout(kamakura)
    order = [part for c in kamakura.chapters for part in held[c.id]] + rest
    probes = _probes(kamakura)
    assert set(order) == set(probes)
    text, page = squash(BOOKLET.read_text(encoding="utf-8")), squash(re.sub(r"<[^>]+>", "", html))
    in_booklet = [text.find(squash(probes[p])) for p in order]
    in_page = [page.find(squash(probes[p])) for p in order]
    assert -1 not in in_booklet and -1 not in in_page, order
    assert in_booklet == sorted(in_booklet), [p for _, p in sorted(zip(in_booklet, order))]
    assert in_page == sorted(in_page), [p for _, p in sorted(zip(in_page, order))]


# ----------------------------------------------------------------------------
# Texts restored
# ----------------------------------------------------------------------------


def test_the_cases_introduction_is_printed_and_on_the_cases_page(kamakura, kamakura_site, html):
    intro = booklet.part_intros(kamakura)["cases"]
    assert re.search(rf'<h3 id="cases">{re.escape(intro.title)}</h3>', html)
    after = html[html.index('id="cases"'):html.index(f'id="case-{kamakura.cases[0].id}"')]
    assert all(f"<p>{p}</p>" in after for p in intro.body)
    # the cases page opens with it: one paragraph each, after the page's own heading
    cases_page = page_of(kamakura_site, "cases")
    assert [e.text.strip() for e in cases_page.elements if e.tag == "h1"] == ["事例"]
    assert [e.text for e in cases_page.elements if e.tag == "p" and "ts-lead" in e.attrs.get("class", "")] == intro.body
    chapter = next(c for c in kamakura.chapters if "cases" in c.show)
    web = page_of(kamakura_site, f"about/{chapter.id}").main_text
    assert intro.title in web and all(p in web for p in intro.body)


@pytest.mark.usefixtures("shared_booklet")
def test_the_cases_introduction_is_the_booklets():
    intro = booklet.part_intros(load_guide(DATA))["cases"]
    text = squash(BOOKLET.read_text(encoding="utf-8"))
    assert all(squash(p) in text for p in intro.body)
    assert squash(intro.title) in [squash(line) for line in booklet_lines()]


def _diagram_items(guide) -> list[str]:
    items = [it for c in guide.chapters for s in c.sections for it in s.items]
    assert items, "the chapters' sections list no items (the 地域福祉の推進 diagram)"
    return items


def test_the_diagram_text_is_printed_and_on_its_chapter_page(kamakura, kamakura_site, html):
    for c in kamakura.chapters:
        web = page_of(kamakura_site, f"about/{c.id}").main_text
        for s in c.sections:
            for item in s.items:
                assert f"<li>{item}</li>" in html and item in web, item


@pytest.mark.usefixtures("shared_booklet")
def test_the_diagram_text_is_the_booklets_labels_and_boxes():
    first, last = DIAGRAM_LINES
    diagram = squash("".join(booklet_lines()[first - 1:last]))
    for item in _diagram_items(load_guide(DATA)):
        pieces = [p for p in re.split(r"[：（）、]", item) if p]
        assert len(pieces) >= 2 and all(squash(p) in diagram for p in pieces), item


def test_the_booklets_own_count_is_beside_the_counted_one_as_on_the_web(kamakura, kamakura_site, html):
    page = read(kamakura_site / "booklet" / "index.html")
    for p in kamakura.programs:
        stated, counted = p.stated_count, len(kamakura.program_agencies(p))
        if not stated or stated.count == counted:
            continue
        web = next(e for e in page_of(kamakura_site, f"programs/{p.id}").elements if e.attrs.get("id") == "stated-count")
        note = next(e for e in page.elements if e.attrs.get("id") == f"stated-count-{p.id}")
        assert note.text == web.text
        # beside the counted figure, in the programme's part
        section = html[html.index(f'id="program-{p.id}"'):]
        assert section.index(f"{counted} カ所の機関が担っています") < section.index(f'id="stated-count-{p.id}"') < \
            section.index("<h3")
        assert f"「{stated.count} カ所」" in note.text


def test_the_pdf_has_the_chapters_in_order(kamakura, kamakura_site):
    pdf = kamakura_site / "booklet.pdf"
    if not pdf.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the booklet PDF must be built in CI: {pdf} is missing")
        pytest.skip("no booklet PDF (the build found no Chromium)")
    from pypdf import PdfReader
    text = squash("".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    # after the table of contents (which names them too): the body's headings, in order
    body = text[text.index(squash(chapter_heading(kamakura.chapters[-1]))) + 1:]
    places = [body.find(squash(chapter_heading(c))) for c in kamakura.chapters]
    assert -1 not in places and places == sorted(places)
    intro = booklet.part_intros(kamakura)["cases"]
    assert all(squash(p) in text for p in intro.body)


# ----------------------------------------------------------------------------
# Another city: parts no chapter holds follow the chapters; a chapter can hold any of them
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("data_dir", [SECOND, DATA.parent / "tsunagu" / "starter"], ids=["second_city", "starter"])
def test_another_citys_booklet_keeps_every_part(data_dir):
    guide = load_guide(data_dir)
    html = booklet.render_page(guide)
    held, rest = booklet.layout(guide)
    ids = [i for i, _ in part_headings(html)]
    assert ids == [a for a, _, _ in booklet.toc(guide)]
    assert [h for h in part_headings(html) if h[0].startswith("chapter-")] == [
        (f"chapter-{c.id}", chapter_heading(c)) for c in guide.chapters]
    for anchor in ("support-flow", "meetings", "hub"):
        assert html.count(f'id="{anchor}"') == 1, anchor
    assert all(html.count(f'id="program-{p.id}"') == 1 for p in guide.programs)
    assert all(html.count(f'id="case-{c.id}"') == 1 for c in guide.cases)
    assert ("programs" in ids) == ("program_pages" in rest)


def test_a_chapter_can_hold_the_hub_and_the_cases(tmp_path):
    narrative = (
        "chapters:\n"
        "  - id: first\n    number: \"1\"\n    title: はじめに\n    show: [program_pages, support_flow]\n"
        "  - id: second\n    number: \"2\"\n    title: つなぐ役割\n    show: [hub, cases, closure, hub]\n"
        "    part_intros:\n      cases:\n        title: 事例の紹介\n        body: [事例のはじめの文です。]\n")
    data = tmp_path / "data"
    shutil.copytree(SECOND, data)
    (data / "narrative.yml").write_text(narrative, encoding="utf-8")
    guide = load_guide(data)
    assert guide.cases
    html = booklet.render_page(guide)
    held, rest = booklet.layout(guide)
    assert held["second"] == ["hub", "cases", "closure"] and rest == ["meetings"]
    assert [i for i, _ in part_headings(html)] == ["chapter-first", "chapter-second", "meetings", "directory",
                                                   "publisher"]
    assert html.count('id="hub"') == 1
    assert html.index('id="chapter-second"') < html.index('id="hub"') < html.index('id="meetings"')
    assert '<h3 id="cases">事例の紹介</h3>\n<p>事例のはじめの文です。</p>' in html
    assert html.index('id="hub"') < html.index('id="cases"') < html.index(f'id="case-{guide.cases[0].id}"')
