"""ふりがな on every page (issue 24 item 2): the built pages carry ruby for their kanji words, and the
header's switch shows and hides the readings.

A reading is <rt aria-hidden="true" data-r="…"></rt>, drawn by CSS: the tests check that it shows
when the switch is on (by the keyboard, with and without JavaScript), that the choice is kept
across pages and visits and applied before the page is drawn, and that with readings shown the
page still copies as written, names its headings, links and buttons once, reflows at 320 CSS px,
grows to 200 %, prints as the switch says and passes axe.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, site_pages
from htmlread import plain
from tsunagu import load_guide
from tsunagu.data import readings
from tsunagu.data.flows import flow_pages

GUIDE = load_guide(DATA)
READER = readings.reader_of(GUIDE)


def _flow_pages():
    every = [fp for f in GUIDE.flows for fp in flow_pages(f)]
    return (next(fp for fp in every if not fp.is_outcome and fp.answers),
            next(fp for fp in every if fp.is_outcome and fp.node.contacts))


QUESTION, OUTCOME = _flow_pages()
# One page of each kind (and the 404 page, a theme template)
KINDS = ["", "residents/", "agencies/", f"agencies/{GUIDE.agencies[0].id}/", f"programs/{GUIDE.programs[0].id}/",
         f"meetings/{GUIDE.meetings[0].id}/", f"cases/{GUIDE.cases[0].id}/", QUESTION.url, OUTCOME.url,
         "glossary/", "about/kyosei/", "404.html"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SWITCH = "#ts-furigana"

pytestmark = pytest.mark.slow

# ----------------------------------------------------------------------------
# The built pages: a reading on every kanji word
# ----------------------------------------------------------------------------

# text that stays as written (tsunagu/data/readings.py's _KEEP), and the head
_KEEP = {"head", "script", "style", "textarea", "title", "svg", "option", "template", "code", "pre"}


class _Pieces(HTMLParser):
    """A page's body text in order as (text, reading): a ruby base with its data-r, other text with
    None; `bare` collects text with kanji outside any ruby (and outside _KEEP)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, str | None]] = []
        self.bare: list[str] = []
        self.keep: list[str] = []
        self.base: list[str] | None = None
        self.switch = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("id") == "ts-furigana" and a.get("type") == "checkbox":
            self.switch = True
        if tag in _KEEP:
            self.keep.append(tag)
        elif tag == "ruby" and not self.keep:
            self.base = []
        elif tag == "rt" and self.base is not None:
            self.out.append(("".join(self.base), a.get("data-r")))
            self.base = []

    def handle_endtag(self, tag):
        if tag in _KEEP and tag in self.keep:
            while self.keep and self.keep.pop() != tag:
                pass
        elif tag == "ruby" and self.base is not None:
            if self.base:
                self.out.append(("".join(self.base), None))
            self.base = None

    def handle_data(self, data):
        if self.keep:
            return
        if self.base is not None:
            self.base.append(data)
            return
        self.out.append((data, None))
        if readings.KANJI.search(data):
            self.bare.append(data.strip())


def _pieces(path: Path) -> _Pieces:
    parser = _Pieces()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# The booklet's print page (booklet/index.html) is the PDF's source, written by the booklet printer
# beside the site, not a page of the site's theme: it has no header, so no switch, and no ruby.
PRINT_PAGES = {"booklet/index.html"}


def test_every_page_of_the_site_has_the_switch_and_a_reading_on_every_kanji_word(kamakura_site):
    without_switch, unread = [], {}
    for path in _html_files(kamakura_site):
        rel = path.relative_to(kamakura_site).as_posix()
        p = _pieces(path)
        if not p.switch:
            without_switch.append(rel)
            continue
        assert sum(1 for _, r in p.out if r) > 5, f"{rel}: hardly any ruby"
        for text in p.bare:
            unread.setdefault(text[:60], rel)
    assert sorted(without_switch) == sorted(PRINT_PAGES)
    assert unread == {}, f"kanji outside ruby (page: text): {dict(list(unread.items())[:10])}"


def test_the_words_the_data_reads_are_read_so_on_every_page(kamakura_site):
    """Every written form the data gives a reading for (names, areas, glossary terms, readings.yml),
    wherever a page has it and no longer given form holds it, has the data's reading in its ruby."""
    forms = sorted(READER.readings, key=len, reverse=True)
    wrong, found = [], set()
    for path in _html_files(kamakura_site):
        p = _pieces(path)
        if not p.switch:
            continue
        text = "".join(t for t, _ in p.out)
        # per character: the reading that starts there (the whole reading over its base) or None
        starts: list[tuple[int, int, str | None]] = []
        pos = 0
        for t, r in p.out:
            starts.append((pos, pos + len(t), r))
            pos += len(t)
        claimed = [False] * len(text)
        for form in forms:
            for m in re.finditer(re.escape(form), text):
                a, b = m.span()
                if any(claimed[a:b]):
                    continue
                claimed[a:b] = [True] * (b - a)
                got = []
                for s, e, r in starts:
                    if e <= a or s >= b:
                        continue
                    if r is not None and (s < a or e > b):
                        got = None  # a reading across the form's edge
                        break
                    got.append(r if r is not None else text[max(s, a):min(e, b)])
                read = None if got is None else readings.hiragana("".join(got))
                if read != READER.readings[form]:
                    wrong.append((path.relative_to(kamakura_site).as_posix(), form, READER.readings[form], read))
                found.add(form)
    assert wrong == []
    assert {a.name for a in GUIDE.agencies} & set(READER.readings) & found, "no agency name the data reads was met"
    assert len(found) > 30, sorted(found)


# ----------------------------------------------------------------------------
# In the browser
# ----------------------------------------------------------------------------


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


_SHOWN = r"""() => { const rts = [...document.querySelectorAll('article rt')].filter(r => r.parentElement.getClientRects().length);
  const drawn = rts.filter(r => getComputedStyle(r).display !== 'none' && r.getClientRects().length
    && /^"([^"]*)"( \/ "")?$/.exec(getComputedStyle(r, '::before').content)?.[1] === r.dataset.r);
  return [rts.length, drawn.length]; }"""


def _shown(tab) -> bool:
    """Every reading of the article's shown words drawn (True), none (False); fails if some are and some are not."""
    total, drawn = tab.evaluate(_SHOWN)
    assert total > 0, "no ruby in the article"
    assert drawn in (0, total), f"{drawn} of {total} readings drawn"
    return drawn == total


def _switch(tab) -> dict:
    return tab.evaluate("""() => { const e = document.getElementById('ts-furigana');
        return {checked: e.checked, focused: document.activeElement === e,
                outline: getComputedStyle(e).outlineStyle !== 'none' && parseFloat(getComputedStyle(e).outlineWidth) >= 2}; }""")


def _turn_on(tab):
    if not tab.is_checked(SWITCH):
        tab.check(SWITCH)
    assert _shown(tab)


@pytest.mark.browser
def test_the_switch_is_off_at_first_and_the_keyboard_turns_it_on_and_off(tab, kamakura_server):
    tab.goto(kamakura_server + "about/kyosei/")
    assert not _shown(tab) and not _switch(tab)["checked"]
    # its name and state, as assistive technology gets them
    switch = tab.get_by_role("checkbox", name="ふりがな", exact=True)
    assert switch.count() == 1
    for _ in range(12):
        tab.keyboard.press("Tab")
        if _switch(tab)["focused"]:
            break
    state = _switch(tab)
    assert state["focused"] and state["outline"], state  # reached by Tab, with a visible ring
    tab.keyboard.press("Space")
    assert _switch(tab)["checked"] and _shown(tab)
    assert switch.is_checked()
    tab.keyboard.press("Space")
    assert not _switch(tab)["checked"] and not _shown(tab)


@pytest.mark.browser
def test_the_choice_is_kept_across_pages_and_visits_and_drawn_before_the_first_paint(browser, kamakura_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # when <body> first appears (before anything of it can be drawn), is <html> marked?
    context.add_init_script("""new MutationObserver((_, obs) => { if (document.body) {
        window.__tsMarkedAtBody = document.documentElement.classList.contains('ts-furigana-on'); obs.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    tab = context.new_page()
    tab.goto(kamakura_server)
    assert not _shown(tab)
    tab.check(SWITCH)
    assert _shown(tab)
    # another page, by a link
    with tab.expect_navigation():
        tab.locator("article a[href]:not([href^='#']):not([href^='tel:'])").first.click()
    assert tab.url != kamakura_server
    assert _switch(tab)["checked"] and _shown(tab)
    assert tab.evaluate("() => window.__tsMarkedAtBody") is True
    # a visit later: reload, and a new tab of the same browser profile
    tab.reload()
    assert _switch(tab)["checked"] and _shown(tab) and tab.evaluate("() => window.__tsMarkedAtBody") is True
    other = context.new_page()
    other.goto(kamakura_server + "agencies/")
    assert _switch(other)["checked"] and _shown(other)
    # turned off: off on the next page too, and from the first paint
    other.uncheck(SWITCH)
    assert not _shown(other)
    tab.goto(kamakura_server + "glossary/")
    assert not _switch(tab)["checked"] and not _shown(tab) and tab.evaluate("() => window.__tsMarkedAtBody") is False
    context.close()


@pytest.mark.browser
def test_without_javascript_the_switch_still_shows_the_readings(browser, kamakura_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(kamakura_server + OUTCOME.url)
    assert not _shown(tab)
    tab.focus(SWITCH)
    tab.keyboard.press("Space")
    assert _switch(tab)["checked"] and _shown(tab)
    tab.keyboard.press("Space")
    assert not _shown(tab)
    tab.get_by_text("ふりがな", exact=True).click()  # the label turns it on too
    assert _shown(tab)
    context.close()


def _easy_pages() -> list[str]:
    from tsunagu.site import pages
    return sorted(pages.easy_twins(GUIDE).values())


@pytest.mark.browser
def test_easy_japanese_pages_open_with_the_readings_shown_until_the_reader_turns_them_off(browser, kamakura_server):
    """Issue 25: ふりがな on by default on the Easy pages (front matter furigana: true), with and without
    JavaScript; a reader's choice, off or on, holds on every page, from the first paint."""
    easy_pages = _easy_pages()
    first, other = easy_pages[0], easy_pages[-1]
    for js in (True, False):
        context = browser.new_context(java_script_enabled=js, viewport={"width": 390, "height": 844})
        tab = context.new_page()
        tab.goto(kamakura_server + first)
        assert _switch(tab)["checked"] and _shown(tab), (js, first)
        tab.goto(kamakura_server + "about/kyosei/")  # a plain page keeps its default: off
        assert not _switch(tab)["checked"] and not _shown(tab), js
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script("""new MutationObserver((_, obs) => { if (document.body) {
        window.__tsOffAtBody = document.documentElement.classList.contains('ts-furigana-off'); obs.disconnect(); } })
        .observe(document, {childList: true, subtree: true});""")
    tab = context.new_page()
    tab.goto(kamakura_server + first)
    tab.uncheck(SWITCH)  # turned off on an Easy page: off on the next Easy page, from the first paint
    assert not _shown(tab)
    tab.goto(kamakura_server + other)
    assert not _switch(tab)["checked"] and not _shown(tab) and tab.evaluate("() => window.__tsOffAtBody") is True
    tab.goto(kamakura_server + "agencies/")
    assert not _shown(tab)
    tab.check(SWITCH)  # turned on on a plain page: on everywhere
    tab.goto(kamakura_server + other)
    assert _switch(tab)["checked"] and _shown(tab)
    context.close()


@pytest.mark.browser
def test_copying_a_heading_or_a_paragraph_with_readings_shown_gives_the_words_as_written(browser, kamakura_server):
    program = GUIDE.programs[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(f"{kamakura_server}programs/{program.id}/")
    h1 = tab.locator("article h1")
    assert h1.locator("ruby").count() > 0 and readings.KANJI.search(program.name)
    select = """sel => { const e = document.querySelector(sel); const r = document.createRange(); r.selectNodeContents(e);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }"""
    without = tab.evaluate(select, "article h1").strip()
    assert without.endswith(program.name)  # the programme's number, then its name
    _turn_on(tab)
    assert tab.evaluate(select, "article h1").strip() == without
    tab.keyboard.press("Control+C")
    assert tab.evaluate("() => navigator.clipboard.readText()").strip() == without
    # a paragraph: the copy is the paragraph's text without any reading
    para = tab.locator("article p").filter(has=tab.locator("ruby")).first
    copied = tab.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }""", para.element_handle())
    html = para.evaluate("e => e.innerHTML")
    written = re.sub(r"<[^>]+>", "", plain(html))
    assert copied.strip() == written.strip() and copied.strip()
    readings_there = para.evaluate("e => [...e.querySelectorAll('rt')].map(r => r.dataset.r)")
    assert readings_there and not any(len(r) > 2 and r in copied for r in readings_there if r not in written)
    context.close()


_ROLES = {"heading", "link", "button", "switch", "checkbox", "tab", "menuitem"}
_SNAPSHOT_NAME = re.compile(r'- (%s) "((?:[^"\\]|\\.)*)"' % "|".join(sorted(_ROLES)))


def _names(tab, cdp) -> list[tuple[str, str]]:
    """(role, name) of every heading, link, button and switch, twice over: as Chromium's accessibility
    tree gives them (CDP), and as Playwright's aria snapshot computes them (the accessible-name
    algorithm over the rendered page, CSS generated content included), spaces left out."""
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    chromium = [(n["role"]["value"], n.get("name", {}).get("value", "")) for n in tree
                if not n.get("ignored") and n.get("role", {}).get("value") in _ROLES]
    computed = [("computed " + role, re.sub(r"\s+", "", name))
                for role, name in _SNAPSHOT_NAME.findall(tab.locator("body").aria_snapshot())]
    return chromium + computed


@pytest.mark.browser
def test_with_readings_shown_headings_links_and_buttons_are_named_once_as_written(tab, kamakura_server):
    """The accessibility tree's names with readings shown are the names with them hidden (no reading
    added, none doubled), and a heading with ruby is named by its text as written."""
    cdp = tab.context.new_cdp_session(tab)
    problems = []
    with_ruby = 0
    for url in KINDS:
        tab.goto(kamakura_server + url)
        off = _names(tab, cdp)
        _turn_on(tab)
        on = _names(tab, cdp)
        if sorted(on) != sorted(off):  # (the tree's node order is not stable between two reads)
            problems.append((url, "names change", sorted(set(on) ^ set(off))[:6]))
        # each heading, link and button with ruby: its name holds its text as written, once
        for role, name, text in tab.evaluate("""() => [...document.querySelectorAll('h1, h2, h3, a[href], button')]
                .filter(e => e.querySelector('ruby') && e.getClientRects().length)
                .map(e => [e.tagName, e.getAttribute('aria-label') || '', e.textContent.replace(/\\s+/g, ' ').trim()])"""):
            with_ruby += 1
            names = [n for r, n in on if not r.startswith("computed") and (r == "heading") == role.startswith("H")]
            if not role.startswith("H") and name:
                continue  # named by its aria-label
            if not any(n.replace(" ", "") == text.replace(" ", "") or text.replace(" ", "") in n.replace(" ", "") for n in names):
                problems.append((url, role, text, "not named by its text"))
        tab.uncheck(SWITCH)
    assert with_ruby > 50
    assert sum(1 for r, _ in on if r.startswith("computed")) > 20
    assert problems == []


@pytest.mark.browser
def test_with_readings_shown_every_page_reflows_at_320_css_px(browser, kamakura_server, kamakura_site, reflow_320):
    """Every page but the print page at 320 CSS px with the readings shown (the shared visit,
    conftest.reflow_320, flips the switch on each page)."""
    shown = {url: px[True] for url, px in reflow_320.items() if True in px}
    expected = [url for url in site_pages(kamakura_site) if url not in PRINT_PAGES and url + "index.html" not in PRINT_PAGES]
    assert sorted(shown) == sorted(expected)
    wide = [f"/{url}: {px}px" for url, px in shown.items() if px > 0]
    # the header still holds the menu, the switch and the search with its button, all on screen
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    tab.goto(kamakura_server + "agencies/")
    _turn_on(tab)
    boxes = tab.evaluate("""() => ['.ts-menu-button', '#ts-furigana', 'label[for="ts-furigana"]', '#ts-search-input', '.ts-search__button']
        .map(s => { const r = document.querySelector(s).getBoundingClientRect(); return [s, r.left, r.right, r.width]; })""")
    context.close()
    assert wide == []
    assert all(left >= 0 and right <= 320 and width >= 24 for _, left, right, width in boxes), boxes


@pytest.mark.browser
def test_with_readings_shown_text_grows_to_200_percent_without_overflow(browser, kamakura_server):
    problems = []
    for viewport, zoom in (({"width": 640, "height": 450}, False), ({"width": 1280, "height": 900}, True)):
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        tab.goto(kamakura_server)
        _turn_on(tab)
        for url in KINDS:
            tab.goto(kamakura_server + url)
            size = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article rt')).fontSize)")
            if zoom:
                tab.add_style_tag(content="html { font-size: 250% !important; }")
                bigger = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article rt')).fontSize)")
                if bigger < 1.9 * size:
                    problems.append(f"/{url}: readings did not grow ({size} -> {bigger})")
            elif size < 9.5:
                problems.append(f"/{url}: readings at {size}px")
            if tab.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") > 0:
                problems.append(f"/{url}: overflows ({'text' if zoom else 'page'} zoom)")
        context.close()
    assert problems == []


@pytest.mark.browser
def test_readings_do_not_overlap_the_line_above(tab, kamakura_server):
    """With readings shown, each reading's box stays below the text of the line above it."""
    tab.goto(kamakura_server + "about/kyosei/")
    _turn_on(tab)
    overlaps = tab.evaluate("""() => { const out = [];
      for (const p of document.querySelectorAll('article p')) {
        const lines = [...p.querySelectorAll('ruby')].map(r => ({ruby: r.getBoundingClientRect(), rt: r.querySelector('rt').getBoundingClientRect()}));
        for (const a of lines) for (const b of lines) {
          // b is on the line above a: its base's bottom must not reach into a's reading
          if (b.ruby.bottom <= a.ruby.top + 2 && a.rt.top < b.ruby.bottom - 1 && a.rt.left < b.ruby.right && b.ruby.left < a.rt.right) out.push(p.textContent.slice(0, 20));
        }
      }
      return out; }""")
    assert overlaps == []


@pytest.mark.browser
def test_print_follows_the_switch(tab, kamakura_server):
    tab.goto(kamakura_server + OUTCOME.url)
    tab.emulate_media(media="print")
    assert not _shown(tab)
    tab.emulate_media(media="screen")
    _turn_on(tab)
    tab.emulate_media(media="print")
    assert _shown(tab)
    assert tab.pdf(format="A4")[:4] == b"%PDF"


@pytest.mark.browser
def test_in_forced_colours_the_switch_is_the_systems_checkbox_and_the_readings_show(browser, kamakura_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, forced_colors="active")
    tab = context.new_page()
    tab.goto(kamakura_server + "agencies/")
    look = tab.evaluate("""() => { const e = document.getElementById('ts-furigana'); const s = getComputedStyle(e);
        const r = e.getBoundingClientRect(); return [s.appearance, r.width, r.height]; }""")
    assert look[0] == "auto" and look[1] >= 16 and look[2] >= 16, look
    tab.focus(SWITCH)
    tab.keyboard.press("Space")
    assert _shown(tab)
    context.close()


def _one_page_of_each_kind(site: Path, most: bool = True) -> list[str]:
    """The page with the most readings (most=False: the fewest) of each kind of page: its section and
    depth (agencies/x/, flows/f/q/…, easy/…). Readings shown or hidden differ only by the rt's CSS, which
    is the same on every page; axe runs over every page with readings hidden (test_browser.py), and over
    every kind of page here with them shown (every page here took 2 of the suite's 15 minutes)."""
    best: dict[tuple[str, int], tuple[int, str]] = {}
    pick = max if most else min
    for url in site_pages(site):
        if url in PRINT_PAGES or url + "index.html" in PRINT_PAGES:
            continue
        path = site / url / "index.html" if not url.endswith(".html") else site / url
        count = path.read_text(encoding="utf-8").count("<rt ")
        kind = (url.split("/")[0], url.count("/"))
        best[kind] = pick(best[kind], (count, url)) if kind in best else (count, url)
    return sorted(url for _, url in best.values())


@pytest.mark.browser
def test_axe_finds_no_violation_with_readings_shown(tab, kamakura_server, kamakura_site):
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    tab.goto(kamakura_server)
    _turn_on(tab)
    problems = []
    for url in _one_page_of_each_kind(kamakura_site):
        tab.goto(kamakura_server + url)
        result = axe.run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        for v in result.response["violations"]:
            problems.append(f"/{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}")
    assert problems == []
