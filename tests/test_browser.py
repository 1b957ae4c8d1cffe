"""The built site in headless Chromium: axe-core, requests, reflow, zoom, keyboard, focus, print.

Each test also records what it measured in the accessibility run (see conftest.A11yRun).
"""

from __future__ import annotations

from importlib.metadata import version
from urllib.parse import urlsplit

import pytest

from conftest import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Representative pages for the keyboard walks: one of each kind
KINDS = ["", "residents/", "agencies/", "agencies/incl/", "meetings/", "cases/father-double-care/", "404.html"]


@pytest.fixture(scope="module")
def pages(kamakura_site):
    return site_pages(kamakura_site)


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


_AT_REST = "() => document.getAnimations().every(a => a.playState !== 'running')"


@pytest.fixture(scope="module")
def every_page(browser, kamakura_server, pages):
    """Every page opened once at 1280 px: the skip link tried (the first Tab, Enter, the next Tab), then
    axe-core over the page with the focus where that left it, on the article's first focusable element
    (mostly a link, so a focused link's colours are judged too: Material's indigo accent gave focused
    link text 4.26:1, found so), and every request the page makes while it loads and axe runs (a request
    to another host is recorded and refused). One visit serves the tests below: opening the 241 pages
    twice took 17 s more. Waiting for the network to be idle on each page took 0.5 s a page of its own."""
    from axe_playwright_python.sync_playwright import Axe
    axe = Axe()
    local = urlsplit(kamakura_server).netloc
    seen = {"outside": [], "axe": {}, "skip": []}

    def route(r):
        if r.request.url.startswith(("data:", "blob:")) or urlsplit(r.request.url).netloc == local:
            r.continue_()
        else:
            seen["outside"].append(r.request.url)
            r.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.route("**/*", route)
    for url in pages:
        tab.goto(kamakura_server + url)
        tab.keyboard.press("Tab")
        first = _focused(tab)
        if "md-skip" not in first["cls"] or not first["visible"]:
            seen["skip"].append(f"/{url}: first Tab focuses {first}")
        else:
            tab.keyboard.press("Enter")
            tab.keyboard.press("Tab")
            after = _focused(tab)
            if not after["inMain"]:
                seen["skip"].append(f"/{url}: after the skip link, Tab focuses {after}")
        # the page at rest: scrolling to the article starts the header's title transition, which axe
        # would judge half-faded (white text at part opacity on the header's indigo)
        tab.wait_for_function(_AT_REST)
        result = axe.run(tab, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
        seen["axe"][url] = result.response
    tab.wait_for_load_state("networkidle")  # the last page's late requests too
    context.close()
    return seen


def test_axe_finds_no_violation_and_no_request_leaves_the_site_on_any_page(every_page, pages, a11y_run):
    problems = []
    assert list(every_page["axe"]) == pages
    for url, response in every_page["axe"].items():
        a11y_run.axe.append({k: [{"tags": r["tags"]} for r in response.get(k, [])]
                             for k in ("violations", "passes", "incomplete", "inapplicable")})
        a11y_run.pages.add(url)
        for v in response["violations"]:
            problems.append(f"/{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}")
    a11y_run.parts.update({"axe", "requests"})
    a11y_run.tool("axe-core", response["testEngine"]["version"], "WCAG 2.2 A/AA の自動判定ルール（全ページ）")
    a11y_run.tool("Playwright", version("playwright"), "全ページを Chromium で開き、外部への通信がないことを確認")
    assert problems == []
    assert every_page["outside"] == []


_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_no_horizontal_scrolling_at_320_css_px(reflow_320, pages, a11y_run):
    """Every page at 320 CSS px with the readings hidden (the shared visit, conftest.reflow_320; with
    them shown: test_ruby.py)."""
    assert list(reflow_320) == pages
    wide = [f"/{url}: {px[False]}px" for url, px in reflow_320.items() if px.get(False, 0) > 0]
    assert all(False in px for px in reflow_320.values())
    a11y_run.check("reflow", "1.4.10", not wide, "幅 320px での横スクロール確認（全ページ）")
    assert wide == []


def test_text_readable_at_200_percent(browser, kamakura_server, a11y_run):
    """Browser zoom 200% (1280 px shown in 640 CSS px), and text-only zoom to 200%."""
    context = browser.new_context(viewport={"width": 640, "height": 450})
    tab = context.new_page()
    problems = []
    for url in KINDS:
        tab.goto(kamakura_server + url)
        if tab.evaluate(_OVERFLOW) > 0:
            problems.append(f"/{url}: page zoom overflows")
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    for url in KINDS:
        tab.goto(kamakura_server + url)
        size = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article p, article h1')).fontSize)")
        tab.add_style_tag(content="html { font-size: 250% !important; }")
        bigger = tab.evaluate("() => parseFloat(getComputedStyle(document.querySelector('article p, article h1')).fontSize)")
        if bigger < 1.9 * size:
            problems.append(f"/{url}: text did not grow ({size} -> {bigger})")
        if tab.evaluate(_OVERFLOW) > 0:
            problems.append(f"/{url}: text zoom overflows")
    context.close()
    a11y_run.check("zoom", "1.4.4", not problems, "ページ拡大・文字拡大 200% の確認")
    assert problems == []


def _focused(tab) -> dict:
    return tab.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        return {tag: e.tagName, n: e.dataset.tsN || '', cls: e.className || '', href: e.getAttribute('href') || '',
                id: e.id || '', text: (e.innerText || e.value || '').trim().slice(0, 40),
                inMain: !!e.closest('article'), inHeader: !!e.closest('header'), inNav: !!e.closest('nav'),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                shadow: s.boxShadow !== 'none', visible: r.width > 0 && r.height > 0}; }""")


def test_skip_link_first_and_it_reaches_the_content(every_page, pages, a11y_run):
    """On every page (the shared visit above): the first Tab focuses the visible skip link, and after
    Enter the next Tab lands inside <main>."""
    problems = every_page["skip"]
    assert len(every_page["axe"]) == len(pages)  # every page was tried
    a11y_run.check("keyboard", "2.4.1", not problems, "スキップリンクの確認（全ページ）")
    assert problems == []


def test_keyboard_reaches_everything_without_trap_and_focus_is_visible(tab, kamakura_server, a11y_run):
    problems = []
    for url in KINDS:
        tab.goto(kamakura_server + url)
        total = tab.evaluate("""() => { let n = 0; document.querySelectorAll('*').forEach(e => e.dataset.tsN = n++);
            return [...document.querySelectorAll('a[href], button, input, [tabindex]')]
            .filter(e => e.tabIndex >= 0 && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').length; }""")
        seen, invisible, regions = [], [], set()
        for _ in range(total + 10):
            tab.keyboard.press("Tab")
            f = _focused(tab)
            if f["tag"] == "BODY":
                break
            key = f["n"]
            if seen and key == seen[-1]:
                problems.append(f"/{url}: focus stuck on {f}")
                break
            seen.append(key)
            regions |= {r for r in ("inHeader", "inNav", "inMain") if f[r]}
            if not (f["outline"] or f["shadow"]):
                invisible.append(f)
        if len(set(seen)) < total - 2:
            problems.append(f"/{url}: Tab reached {len(set(seen))} of {total} focusable elements")
        if regions != {"inHeader", "inNav", "inMain"}:
            problems.append(f"/{url}: Tab never reached {set(['inHeader', 'inNav', 'inMain']) - regions}")
        if invisible:
            problems.append(f"/{url}: no visible focus on {invisible[:3]}")
        # the search box: typing in it does not keep the keyboard there
        tab.goto(kamakura_server + url)
        tab.focus("#ts-search-input")
        tab.keyboard.type("相談")
        tab.keyboard.press("Escape")
        for _ in range(40):
            tab.keyboard.press("Tab")
            if _focused(tab)["inMain"]:
                break
        else:
            problems.append(f"/{url}: could not Tab from the search box to the content")
    a11y_run.check("keyboard", "2.1.2", not any("stuck" in p or "search" in p for p in problems), "キーボード操作の確認")
    a11y_run.check("keyboard", "2.1.1", not any("reached" in p for p in problems), "キーボード操作の確認")
    a11y_run.check("focus", "2.4.7", not any("visible focus" in p for p in problems), "フォーカス表示の確認")
    assert problems == []


@pytest.mark.parametrize("url", ["agencies/", "cases/father-double-care/", "libero/"])
def test_print_layout_has_content_and_phone_numbers_only(tab, kamakura_server, url):
    tab.goto(kamakura_server + url)
    tab.emulate_media(media="print")
    hidden = tab.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-search', '.md-footer']
        .map(s => document.querySelector(s)).filter(Boolean)
        .every(e => getComputedStyle(e).display === 'none')""")
    assert hidden
    numbers = tab.evaluate("""() => [...document.querySelectorAll('a[href^="tel:"]')]
        .map(a => [a.innerText.trim(), getComputedStyle(a).display !== 'none' && a.getClientRects().length > 0])""")
    assert numbers and all(text and shown for text, shown in numbers)
    pdf = tab.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


# ----------------------------------------------------------------------------
# Question flows in the browser
# ----------------------------------------------------------------------------

from conftest import DATA  # noqa: E402
from tsunagu import load_guide  # noqa: E402
from tsunagu.data.flows import paths  # noqa: E402

GUIDE = load_guide(DATA)


def _path(flow_id: str, outcome_id: str):
    return next(p for p in paths(GUIDE.flow(flow_id)) if p.node.id == outcome_id)


def _tab_to(tab, predicate, limit=120) -> dict:
    for _ in range(limit):
        tab.keyboard.press("Tab")
        f = tab.evaluate("() => ({href: document.activeElement.getAttribute('href') || '', "
                         "text: (document.activeElement.innerText || '').trim()})")
        if predicate(f):
            return f
    raise AssertionError("the keyboard never reached the element")


def test_resident_walks_a_flow_with_the_keyboard_alone(tab, kamakura_server):
    flow = next(f for f in GUIDE.flows if f.flow.audience == "residents")
    # an outcome whose first contact is an agency or a category of agencies (not an office), without
    # national numbers or a first door before it: its first phone number is the first one on the page
    target = next(p for p in paths(flow) if p.node.contacts and GUIDE.contact_agencies(p.node.contacts[0])
                  and not getattr(p.node, "national", None) and not getattr(p.node, "first_door", None))
    tab.goto(kamakura_server)
    _tab_to(tab, lambda f: f["href"].endswith(f"flows/{flow.flow.id}/"))
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    for answer in target.answers:
        assert tab.inner_text("article h1").strip() == answer.question.text
        _tab_to(tab, lambda f: f["text"] == answer.option.label)
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        # the enhancement moved focus to the new heading
        assert tab.evaluate("() => document.activeElement.tagName") == "H1"
    assert tab.inner_text("article h1").strip() == target.node.title
    agency = GUIDE.contact_agencies(target.node.contacts[0])[0]
    f = _tab_to(tab, lambda f: f["href"].startswith("tel:"))
    # the number shown, then (hidden, for screen readers) whom it calls
    assert f["href"] == agency.phones[0].tel and f["text"].split("\n")[0] == agency.phones[0].display
    assert agency.name in f["text"]


def test_professional_walks_a_flow_without_javascript(browser, kamakura_server):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    target = _path("case-route", "multi-agency")
    tab.goto(f"{kamakura_server}flows/case-route/")
    for answer in target.answers:
        assert tab.inner_text("article h1").strip() == answer.question.text
        with tab.expect_navigation():
            tab.get_by_role("link", name=answer.option.label, exact=True).click()
    assert tab.inner_text("article h1").strip() == target.node.title
    tels = tab.eval_on_selector_all("article a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))")
    assert GUIDE.hub.phones[0].tel in tels
    # 変更: back to the first question, from the outcome, without JavaScript
    with tab.expect_navigation():
        tab.locator("a.ts-change").first.click()
    assert tab.inner_text("article h1").strip() == target.answers[0].question.text
    context.close()


def test_every_outcome_prints_on_one_a4_page(tab, kamakura_server):
    too_long = []
    for flow in GUIDE.flows:
        for p in paths(flow):
            tab.goto(kamakura_server + p.url)
            tab.emulate_media(media="print")
            pdf = tab.pdf(format="A4")
            pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
            if pages != 1:
                too_long.append(f"/{p.url}: {pages} pages")
    assert too_long == []


def test_the_menu_opens_from_the_keyboard_on_a_zoomed_or_narrow_screen(browser, kamakura_server):
    context = browser.new_context(viewport={"width": 640, "height": 800})
    tab = context.new_page()
    tab.goto(kamakura_server + "agencies/")
    for _ in range(6):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => document.activeElement.classList.contains('ts-menu-button')"):
            break
    assert tab.evaluate("() => document.activeElement.getAttribute('aria-label')") == "メニュー"
    tab.keyboard.press("Enter")
    assert tab.evaluate("() => document.getElementById('__drawer').checked")
    assert tab.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    nav_link = tab.evaluate("() => document.activeElement.getBoundingClientRect().width > 0")
    assert nav_link
    tab.keyboard.press("Escape")
    assert not tab.evaluate("() => document.getElementById('__drawer').checked")
    context.close()
