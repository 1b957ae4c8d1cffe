"""Figures drawn from the data (tsunagu/site/diagrams.py): the support flow and the programmes.

Line breaking by the label's characters; every text from the data in the SVG, escaped; the figures
on their pages and in the booklet (and its PDF) as one raw HTML block each; a changed label in a copy
of the data shows in every figure; in the browser the figures fit 320 px and keep their lines in
forced colours.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, mkdocs_build
from htmlread import plain
from tsunagu.site import diagrams, search
from tsunagu import load_guide
from tsunagu.site.diagrams import text_width, wrap

SECOND = ROOT / "tests" / "fixtures" / "second_city"
TINY = ROOT / "tests" / "fixtures" / "tiny_city"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
FIGURE = re.compile(r'<figure class="ts-figure ts-figure-(\w+)"[^>]*>(<svg\b[^>]*>.*?</svg>)<figcaption>(.*?)</figcaption></figure>', re.S)
# the pages that show a figure, and which ones
PAGES = {"support-flow/": ["flow"], "programs/": ["programs"], "flows/case-route/overview/": ["flow"],
         "booklet/": ["programs", "flow"]}

# Changed labels, each with characters that mean something in XML, HTML and Markdown
STEP = '身近な人<&"が*試し*に相談。'
CONDITION = "条件<甲&乙>の場合"
PROGRAM = '多機関<協働>&"事業'


def figures(html: str) -> list[tuple[str, str, str]]:
    """(name, svg, caption) of each figure drawn from the data in a page."""
    return FIGURE.findall(html)


def svg_text(svg: str) -> str:
    """All text of an SVG, as XML reads it (lines of a label joined)."""
    return "".join(ET.fromstring(svg).itertext())


def text_lines(svg: str) -> list[str]:
    """Each <text>'s lines joined: one label each."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter("text")]


# ----------------------------------------------------------------------------
# Line breaking
# ----------------------------------------------------------------------------


def test_wrap_keeps_every_character_and_the_width():
    text = "本人もしくは家族に困り感がない、支援に拒否的なため介入ができない場合"
    for ems in (5, 9, 17.5):
        lines = wrap(text, ems)
        assert "".join(lines) == text
        assert all(text_width(line) <= ems for line in lines), lines


def test_wrap_never_breaks_a_number_or_a_latin_word():
    lines = wrap("電話0467-61-3436までLiberoかまくらに、18歳未満のこと", 8)
    assert any("0467-61-3436" in line for line in lines), lines
    assert any("Libero" in line for line in lines), lines
    assert any("18歳" in line or line.endswith("18") for line in lines), lines
    assert not any(line.endswith("1") for line in wrap("あいうえ18歳未満", 5))


def test_wrap_keeps_closing_punctuation_off_the_start_of_a_line():
    for ems in range(3, 12):
        for line in wrap("あいうえお、かきくけこ。「さしすせそ」たちつてと（なにぬねの）はひふへほ", ems)[1:]:
            assert line[0] not in "、。」）", (ems, line)
        for line in wrap("あいうえお、かきくけこ。「さしすせそ」たちつてと（なにぬねの）はひふへほ", ems)[:-1]:
            assert line[-1] not in "「（", (ems, line)


def test_a_word_longer_than_a_line_is_cut_rather_than_overflow():
    lines = wrap("https://example.jp/a/very/long/path/to/somewhere", 10)
    assert all(text_width(line) <= 10 for line in lines) and "".join(lines).startswith("https://")


# ----------------------------------------------------------------------------
# The figures from a Guide
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [DATA, SECOND, TINY], ids=["kamakura", "second_city", "tiny_city"])
def test_every_step_meeting_and_programme_is_drawn(data):
    guide = load_guide(data)
    flow = diagrams.support_flow_svg(guide)
    labels = text_lines(flow)
    for s in guide.support_flow.steps:
        assert s.title.replace(" ", "") in [x.replace(" ", "") for x in labels], s.title
        for b in s.branches:
            assert b.when.replace(" ", "") in [x.replace(" ", "") for x in labels], b.when
            if b.meeting:
                assert guide.meeting(b.meeting).name in labels
    programs = text_lines(diagrams.programs_svg(guide))
    for p in guide.programs:
        assert p.name.replace(" ", "") in [x.replace(" ", "") for x in programs], p.name
        assert str(p.number) in programs
    if guide.hub_programs():
        assert f"{guide.hub.name}が担う事業".replace(" ", "") in [x.replace(" ", "") for x in programs]
    # the programmes have no flow between them in the data: no arrow is drawn
    assert "ts-fig-head" not in diagrams.programs_svg(guide)


def test_the_svg_is_hidden_from_assistive_technology_and_named_by_its_caption(kamakura):
    for figure in (diagrams.support_flow_figure(kamakura), diagrams.programs_figure(kamakura)):
        (name, svg, caption), = figures(str(figure))
        assert 'aria-hidden="true"' in svg.split(">", 1)[0]
        assert caption.startswith("図:")
        assert "\n" not in figure  # one line: a Markdown page keeps it as one raw HTML block
        assert "<a " not in svg and "tabindex" not in svg  # nothing to focus inside hidden content


def test_text_is_small_enough_at_320_px():
    # at 320 px the column is 288 px wide: the smallest text in user units, scaled, stays >= 12 px
    assert min(diagrams.FONT, diagrams.SMALL) * 288 / diagrams.WIDTH >= 12


def _copy(tmp_path: Path, source: Path = DATA) -> Path:
    data = tmp_path / "data"
    shutil.copytree(source, data)
    return data


def _set(path: Path, old: str, new: str) -> None:
    """old (a plain scalar in the file) replaced by new as a YAML double-quoted string."""
    text = path.read_text(encoding="utf-8")
    assert text.count(f": {old}\n") == 1, old
    path.write_text(text.replace(f": {old}\n", f": {json.dumps(new, ensure_ascii=False)}\n"), encoding="utf-8")


def _changed(tmp_path: Path) -> Path:
    data = _copy(tmp_path)
    _set(data / "support_flow.yml", "身近な人が、包括的相談支援事業者に相談。", STEP)
    _set(data / "support_flow.yml", "本人もしくは家族が支援を望んでいる場合", CONDITION)
    _set(data / "programs.yml", "多機関協働事業", PROGRAM)
    return data


def test_data_text_is_escaped_in_the_svg(tmp_path):
    guide = load_guide(_changed(tmp_path))
    for svg in (str(diagrams.support_flow_figure(guide)), str(diagrams.programs_figure(guide))):
        ET.fromstring(svg)  # well-formed: nothing from the data became markup
        assert "<甲" not in svg and '<&"' not in svg and "<協働>" not in svg
    assert STEP in text_lines(diagrams.support_flow_svg(guide))
    assert CONDITION.replace(" ", "") in "".join(text_lines(diagrams.support_flow_svg(guide)))
    assert PROGRAM in text_lines(diagrams.programs_svg(guide))
    assert PROGRAM in unescape(str(diagrams.programs_figure(guide)).split("<figcaption>")[1])


def test_many_branches_are_drawn_one_under_another(tmp_path):
    data = _copy(tmp_path)
    doc = yaml.safe_load((data / "support_flow.yml").read_text(encoding="utf-8"))
    step = doc["support_flow"]["steps"][-1]
    step["branches"].append({"when": "三つめの場合（会議なし）"})
    (data / "support_flow.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    guide = load_guide(data)
    svg = diagrams.support_flow_svg(guide)
    assert "三つめの場合（会議なし）" in "".join(text_lines(svg))
    # each branch box spans most of the width: rows, not three narrow columns
    boxes = [float(w) for w in re.findall(r'<rect class="ts-fig-box"[^>]*?\swidth="([\d.]+)"', svg)]
    assert sum(w > diagrams.WIDTH * 0.8 for w in boxes) == len(guide.support_flow.steps) + 3


# ----------------------------------------------------------------------------
# The built site and booklet
# ----------------------------------------------------------------------------


def test_each_page_has_its_figures_as_one_raw_block(kamakura_site):
    for url, names in PAGES.items():
        html = plain((kamakura_site / url / "index.html").read_text(encoding="utf-8"))  # as read: no ruby
        found = figures(html)
        assert [f[0] for f in found] == names, url
        for name, svg, caption in found:
            ET.fromstring(svg)
            assert "<p>" not in svg and "\n\n" not in svg, url  # Markdown left it alone
            assert caption.startswith("図:")
        # the text alternative follows: the list of steps or programmes is still on the page
        if url == "support-flow/":
            assert html.index("ts-figure-flow") < html.index('class="ts-steps"')
        if url == "programs/":
            assert html.index("ts-figure-programs") < html.index('class="ts-programs"')


def test_the_overview_of_a_flow_whose_outcomes_name_no_step_has_no_figure(kamakura, kamakura_site):
    for f in kamakura.flows:
        html = (kamakura_site / "flows" / f.flow.id / "overview" / "index.html").read_text(encoding="utf-8")
        assert bool(figures(html)) == any(o.steps for o in f.outcomes), f.flow.id


@pytest.fixture(scope="module")
def changed_site(tmp_path_factory):
    """A site built from a copy of the data with a step, a condition and a programme renamed."""
    data = _changed(tmp_path_factory.mktemp("diagram-data"))
    site = tmp_path_factory.mktemp("diagram-site") / "site"
    result = mkdocs_build(data, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.slow
def test_a_changed_label_shows_in_every_figure(changed_site):
    for url, names in PAGES.items():
        html = (changed_site / url / "index.html").read_text(encoding="utf-8")
        for name, svg, caption in figures(html):
            text = "".join(text_lines(svg)).replace(" ", "")
            if name == "flow":
                assert STEP in text and CONDITION in text, url
            else:
                assert PROGRAM in text, url
        assert '<&"' not in html and "<甲" not in html and "<協働>" not in html


@pytest.mark.slow
@pytest.mark.browser
def test_the_booklet_pdf_holds_the_figures_text(changed_site):
    pdf = changed_site / "booklet.pdf"
    if not pdf.exists():
        pytest.skip("no booklet PDF (the build found no Chromium)")
    from pypdf import PdfReader
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(str(pdf)).pages))
    assert text.count(STEP) >= 2  # the list's step and the figure's box (selectable text, not an image)
    assert CONDITION in text and PROGRAM in text


# ----------------------------------------------------------------------------
# In the browser: 320 px, forced colours
# ----------------------------------------------------------------------------

MEASURE = """() => [...document.querySelectorAll('figure.ts-figure')].map(f => {
  const svg = f.querySelector('svg'), box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  return {scroll: f.scrollWidth, client: f.clientWidth, right: box.right, height: box.height,
          smallest: Math.min(...sizes), page: document.documentElement.clientWidth};
})"""

STROKES = """() => [...document.querySelectorAll('figure.ts-figure svg')].map(svg => ({
  shown: svg.getBoundingClientRect().height > 0 && getComputedStyle(svg).display !== 'none',
  strokes: [...svg.querySelectorAll('.ts-fig-box, .ts-fig-line')].map(e => getComputedStyle(e).stroke),
  fills: [...svg.querySelectorAll('text')].map(e => getComputedStyle(e).fill),
  canvas: getComputedStyle(document.body).backgroundColor,
}))"""


def _invisible(colour: str, background: str) -> bool:
    return colour in ("none", "transparent", "rgba(0, 0, 0, 0)", "") or colour == background


@pytest.mark.browser
def test_the_figures_fit_320_px_and_keep_their_text_readable(browser, kamakura_server):
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        for url, names in PAGES.items():
            page.goto(kamakura_server + url)
            found = page.evaluate(MEASURE)
            assert len(found) == len(names), url
            for f in found:
                assert f["scroll"] <= f["client"] and f["right"] <= f["page"], (url, f)
                assert f["smallest"] >= 12, (url, f)
    finally:
        context.close()


@pytest.mark.browser
def test_the_figures_keep_their_lines_in_forced_colours(browser, kamakura_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.emulate_media(forced_colors="active")
        for url in PAGES:
            page.goto(kamakura_server + url)
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
            for svg in page.evaluate(STROKES):
                assert svg["shown"], url
                assert svg["strokes"] and not any(_invisible(s, svg["canvas"]) for s in svg["strokes"]), (url, svg)
                assert svg["fills"] and not any(_invisible(s, svg["canvas"]) for s in svg["fills"]), (url, svg)
    finally:
        context.close()


def test_the_search_index_reads_the_list_not_the_figure(kamakura, kamakura_site):
    """The figure is hidden from screen readers and says what its list says: the index reads the list
    once, so a step's words are not counted twice on the support-flow page."""
    html = (kamakura_site / "support-flow" / "index.html").read_text(encoding="utf-8")
    entry = search.entry("support-flow/", html)
    svg = figures(html)[0][1]
    step = kamakura.support_flow.steps[-1].title
    assert step in unescape(re.sub(r"<[^>]+>", "", svg))  # the figure draws the step (its lines joined) ...
    assert search.normalise(entry["x"]).count(search.normalise(step)) == 1  # ... and the index reads it once
