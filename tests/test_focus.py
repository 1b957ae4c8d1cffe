"""Focus, keyboard and screen-reader structure beyond what axe can judge (issue 12).

Keyboard walks over one page of each kind at three sizes: every focus stop is on screen, not
covered by another element (the sticky header, the search panel, the drawer's overlay), and has a
visible ring of at least 3:1 against what is behind it. Also: the closed drawer stays out of the
way (with and without JavaScript), the search panel and its live region, forced colours, page
titles, and the question pages' group and step in the accessibility tree. Each test records
what it measured in the accessibility run (conftest.A11yRun), shown on the 試験結果 page.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from conftest import DATA, site_pages
from htmlread import plain
from tsunagu import load_guide
from tsunagu.data.flows import flow_pages

GUIDE = load_guide(DATA)

# ----------------------------------------------------------------------------
# What is walked, and at which sizes
# ----------------------------------------------------------------------------


def _flow_pages():
    """A question page past the first step and an outcome page, residents' flows first."""
    flows = sorted(GUIDE.flows, key=lambda f: f.flow.audience != "residents")
    every = [fp for f in flows for fp in flow_pages(f)]
    question = next(fp for fp in every if not fp.is_outcome and fp.answers)
    outcome = next(fp for fp in every if fp.is_outcome and fp.node.contacts)
    return question, outcome


QUESTION, OUTCOME = _flow_pages()
PAGES = {
    "home": "",
    "directory": "agencies/",
    "programme": f"programs/{GUIDE.programs[0].id}/",
    "meeting": f"meetings/{GUIDE.meetings[0].id}/",
    "case": f"cases/{GUIDE.cases[0].id}/",
    "flow question": QUESTION.url,
    "flow outcome": OUTCOME.url,
}
# Browser zoom at 200 % on a 1280 x 900 window lays the page out in 640 x 450 CSS pixels, which is
# what a 640 x 450 viewport gives (device_scale_factor would only sharpen the pixels, not zoom).
SIZES = {
    "390px": {"width": 390, "height": 844},
    "1280px": {"width": 1280, "height": 900},
    "1280px@200%": {"width": 640, "height": 450},
}
MAX_STOPS = 60  # Tab presses per page and direction: enough for every kind of page listed above

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# ----------------------------------------------------------------------------
# In the page: the focused element judged (on screen, not covered, ring and its contrast)
# ----------------------------------------------------------------------------

_JS_HELPERS = """
const rgba = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c || ''); if (!m) return null;
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
// the first opaque background painted at (x, y) under everything that is not `skip` or inside it
const behind = (x, y, skip) => { for (const el of document.elementsFromPoint(x, y)) {
    if (skip && (el === skip || skip.contains(el))) continue;
    const b = rgba(getComputedStyle(el).backgroundColor); if (b && b[3] > 0.5) return b; }
  return [255, 255, 255, 1]; };
const ring = s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
  ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
"""

# Before the walk, with nothing focused: how each focusable element looks unfocused.
_MARK_UNFOCUSED = "() => {" + _JS_HELPERS + """
  window.__tsUnfocused = new Map();
  document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').forEach(e => {
    const s = getComputedStyle(e); window.__tsUnfocused.set(e, {ring: ring(s), shadow: s.boxShadow}); });
  window.__tsSeen = new Map();
}"""

_NEXT_FRAME = """
  // judge the next frame, as a person would see it (Material fits its sidebars on scroll)
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));"""
_JUDGE = "async () => {" + _JS_HELPERS + _NEXT_FRAME + """
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return {end: true};
  // judge where things come to rest (the skip link slides in)
  document.getAnimations().forEach(a => { try { a.finish(); } catch (_) { /* an endless animation */ } });
  if (!window.__tsSeen.has(e)) window.__tsSeen.set(e, window.__tsSeen.size);
  const r = e.getClientRects()[0] || e.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = innerHeight;
  const name = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
  const out = {key: window.__tsSeen.get(e), name, problems: [], inResults: !!e.closest('[data-search-results]')};
  if (!(r.width > 0 && r.height > 0)) { out.problems.push('no size'); return out; }
  const cx = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1), cy = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
  if (r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh || cx !== r.left + r.width / 2 || cy !== r.top + r.height / 2) {
    out.problems.push(`off screen at ${Math.round(r.left)},${Math.round(r.top)}`); return out; }
  const hit = document.elementFromPoint(cx, cy);
  if (!hit || !(hit === e || e.contains(hit)))
    out.problems.push(`covered by ${hit ? hit.tagName.toLowerCase() + '.' + String(hit.className).split(' ')[0] : 'nothing'}`);
  const s = getComputedStyle(e), was = window.__tsUnfocused.get(e) || {ring: '', shadow: 'none'};
  const now = ring(s);
  if (!((now && now !== was.ring) || (s.boxShadow !== 'none' && s.boxShadow !== was.shadow))) {
    out.problems.push('no visible focus indicator'); return out; }
  if (now) {
    // the ring's colour against what is painted just outside the element, on every side on screen
    const colour = rgba(s.outlineColor), d = parseFloat(s.outlineOffset || 0) + parseFloat(s.outlineWidth) / 2;
    const points = [[r.left - d, cy], [r.right + d, cy], [cx, r.top - d], [cx, r.bottom + d]]
      .filter(([x, y]) => x >= 0 && y >= 0 && x < vw && y < vh);
    const worst = Math.min(...points.map(([x, y]) => contrast(colour, behind(x, y, e))));
    if (points.length && worst < 3) out.problems.push(`focus ring contrast ${worst.toFixed(2)}:1`);
  }
  return out;
}"""


# Without JavaScript in the page, no frames or timers run for the page's scripts: judge at once.
_JUDGE_NO_JS = _JUDGE.replace(_NEXT_FRAME, "")


def _poll(tab, script: str, seconds: float = 5) -> bool:
    """wait_for_function without the page's own timers (they do not run without JavaScript)."""
    for _ in range(int(seconds / 0.1)):
        if tab.evaluate(script):
            return True
        tab.wait_for_timeout(100)
    return False


def _walk(tab, key: str, limit: int = MAX_STOPS, stop=None) -> tuple[list[dict], list[str]]:
    """Press key (Tab or Shift+Tab) up to limit times; each stop judged. Stops at the page's end,
    when focus comes back to a stop already seen (a wrap), or when stop(judgement) is true."""
    stops, problems = [], []
    for _ in range(limit):
        tab.keyboard.press(key)
        j = tab.evaluate(_JUDGE)
        if j.get("end") or (stops and j["key"] in {s["key"] for s in stops}):
            break
        stops.append(j)
        problems += [f'{j["name"]}: {p}' for p in j["problems"]]
        if stop and stop(j):
            break
    return stops, problems


@pytest.fixture(scope="module")
def contexts(browser):
    made = {name: browser.new_context(viewport=size) for name, size in SIZES.items()}
    yield made
    for context in made.values():
        context.close()


# ----------------------------------------------------------------------------
# Keyboard walks
# ----------------------------------------------------------------------------


def test_keyboard_walk_forward_and_backward_every_stop_seen_and_marked(contexts, kamakura_server, a11y_run):
    problems, walked = [], 0
    for size, context in contexts.items():
        tab = context.new_page()
        for kind, url in PAGES.items():
            for key in ("Tab", "Shift+Tab"):
                tab.goto(kamakura_server + url)
                tab.evaluate(_MARK_UNFOCUSED)
                stops, found = _walk(tab, key)
                walked += len(stops)
                assert len(stops) >= 5, f"{size} /{url}: only {len(stops)} focus stops with {key}"
                problems += [f"{size} {kind} /{url} {key}: {p}" for p in found]
        tab.close()
    hidden = [p for p in problems if "off screen" in p or "covered" in p or "no size" in p]
    a11y_run.check("walk", "2.4.11", not hidden, "キーボード巡回（3 つの画面幅、前後）: フォーカスが隠されない")
    a11y_run.check("walk", "2.4.3", not any("off screen" in p for p in problems),
                   "キーボード巡回: 閉じたメニューなど見えない所にフォーカスが入らない")
    a11y_run.check("walk", "2.4.7", not any("indicator" in p for p in problems), "キーボード巡回: フォーカス表示")
    a11y_run.check("walk", "1.4.11", not any("contrast" in p for p in problems),
                   "キーボード巡回: フォーカス枠のコントラスト 3:1 以上")
    assert walked > 100
    assert problems == [], "\n".join(problems)


def _type_query(tab, query: str):
    tab.focus("#ts-search-input")
    tab.keyboard.type(query)
    tab.wait_for_function("q => document.querySelector('[data-ts-search]').getAttribute('data-search-done') === q",
                          arg=query)


def test_keyboard_walk_with_the_search_panel_open(contexts, kamakura_server, a11y_run):
    """Typing opens the results panel over the page: its links show a ring, and once focus leaves
    the search box the panel closes and hides nothing (forward and backward)."""
    problems = []
    for size, context in contexts.items():
        tab = context.new_page()
        for kind, url in PAGES.items():
            tab.goto(kamakura_server + url)
            tab.evaluate(_MARK_UNFOCUSED)
            _type_query(tab, "相談")
            in_box = "() => !!document.activeElement.closest('[data-ts-search]')"
            beyond = []

            def enough(j):
                if not tab.evaluate(in_box):
                    beyond.append(j)
                return len(beyond) >= 8

            stops, found = _walk(tab, "Tab", stop=enough)
            results = sum(1 for s in stops if s["inResults"])
            if results < 3:
                problems.append(f"{size} /{url}: Tab did not go through the results ({len(stops)} stops)")
            if not tab.evaluate("() => document.getElementById('ts-search-panel').hidden"):
                problems.append(f"{size} /{url}: the panel stayed open after focus left it")
            _, found_back = _walk(tab, "Shift+Tab", stop=lambda j: tab.evaluate(
                "() => document.activeElement.id === 'ts-search-input'"))
            problems += [f"{size} {kind} /{url}: {p}" for p in found + found_back]
        tab.close()
    a11y_run.check("walk", "2.4.11", not problems, "検索パネルを開いた状態のキーボード巡回")
    a11y_run.check("walk", "2.4.7", not any("indicator" in p or "contrast" in p for p in problems),
                   "検索パネルを開いた状態のキーボード巡回")
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------
# The navigation drawer on narrow and zoomed screens
# ----------------------------------------------------------------------------

_DRAWER_OPEN = "() => document.getElementById('__drawer').checked"
_IN_DRAWER = "() => !!document.activeElement.closest('.md-sidebar--primary')"
_DRAWER_SHOWN = """() => { const d = document.querySelector('.md-sidebar--primary'), r = d.getBoundingClientRect();
    return getComputedStyle(d).visibility === 'visible' && r.right > 0 && r.left >= -1; }"""


def _tab_until(tab, script: str, limit: int = 8) -> bool:
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate(script):
            return True
    return False


@pytest.mark.parametrize("size", ["390px", "1280px@200%"])
def test_closed_drawer_is_out_of_reach_and_the_menu_button_moves_focus(contexts, kamakura_server, size, a11y_run):
    tab = contexts[size].new_page()
    tab.goto(kamakura_server + "agencies/")
    # closed: not in the accessibility tree, not focusable
    assert "ナビゲーション" not in tab.locator("body").aria_snapshot()
    assert tab.evaluate("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility") == "hidden"
    assert _tab_until(tab, "() => document.activeElement.classList.contains('ts-menu-button')")
    assert tab.evaluate("() => document.activeElement.getAttribute('aria-expanded')") == "false"
    tab.evaluate(_MARK_UNFOCUSED)
    tab.keyboard.press("Enter")
    assert tab.evaluate(_DRAWER_OPEN) and tab.evaluate(_IN_DRAWER)
    tab.wait_for_function(_DRAWER_SHOWN)
    # the first stop in the drawer (its title link, on the title bar's indigo) judged too
    first = tab.evaluate(_JUDGE)
    problems = [f'{first["name"]}: {p}' for p in first["problems"]]
    assert "navigation \"ナビゲーション\"" in tab.locator("body").aria_snapshot()
    assert tab.evaluate("() => document.querySelector('.ts-menu-button').getAttribute('aria-expanded')") == "true"
    tab.evaluate(_MARK_UNFOCUSED)
    # inside the open drawer every stop is seen; Tab out of it closes it
    stops, found = _walk(tab, "Tab", limit=40, stop=lambda j: not tab.evaluate(_IN_DRAWER))
    problems += found
    assert len(stops) > 5
    if tab.evaluate(_DRAWER_OPEN):
        problems.append("the drawer stayed open after focus left it")
    # Escape closes it and gives focus back to the menu button
    tab.focus(".ts-menu-button")
    tab.keyboard.press("Enter")
    assert tab.evaluate(_IN_DRAWER)
    tab.keyboard.press("Escape")
    assert not tab.evaluate(_DRAWER_OPEN)
    assert tab.evaluate("() => document.activeElement.classList.contains('ts-menu-button')")
    tab.wait_for_function("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")
    tab.close()
    a11y_run.check("walk", "2.1.1", not problems, "メニューのキーボード操作（狭い画面・200% 拡大）")
    assert problems == []


def test_menu_works_from_the_keyboard_without_javascript(browser, kamakura_server, a11y_run):
    context = browser.new_context(viewport=SIZES["390px"], java_script_enabled=False)
    tab = context.new_page()
    tab.goto(kamakura_server + "agencies/")
    assert tab.evaluate("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility") == "hidden"
    problems = []
    if not _tab_until(tab, "() => document.activeElement.classList.contains('ts-menu-link')"):
        problems.append("no menu link reached by Tab")
    else:
        tab.keyboard.press("Enter")
        if not _poll(tab, _DRAWER_SHOWN):
            problems.append("the menu link does not open the drawer")
        tab.evaluate(_MARK_UNFOCUSED)
        tab.keyboard.press("Tab")
        if not tab.evaluate(_IN_DRAWER):
            problems.append("Tab after opening the menu does not go into it")
        problems += tab.evaluate(_JUDGE_NO_JS)["problems"]
        close = tab.locator(".ts-menu-close")
        if not (close.is_visible() and close.inner_text().strip() == "メニューを閉じる"):
            problems.append("no visible link closes the menu")
        close.focus()
        tab.keyboard.press("Enter")
        if not _poll(tab, "() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'"):
            problems.append("the close link does not close the drawer")
    context.close()
    a11y_run.check("walk", "2.1.1", not problems, "メニューのキーボード操作（JavaScript なし）")
    assert problems == []


# ----------------------------------------------------------------------------
# Search: live region, real count, Escape
# ----------------------------------------------------------------------------


def test_search_announces_the_real_number_of_matches_from_a_region_present_before(contexts, kamakura_server,
                                                                                    a11y_run):
    tab = contexts["1280px"].new_page()
    tab.goto(kamakura_server + "agencies/")
    problems = []
    region = tab.evaluate("""() => { const s = document.querySelector('[data-ts-search] [role=status]');
        return s && {empty: s.textContent === '', hidden: !!s.closest('[hidden]'), live: s.getAttribute('aria-live')}; }""")
    if region != {"empty": True, "hidden": False, "live": "polite"}:
        problems.append(f"live region before the first search: {region}")
    query = "相談"
    _type_query(tab, query)
    status = tab.inner_text("[data-ts-search] [role=status]").strip()
    total = tab.evaluate("""q => fetch(document.querySelector('[data-ts-search] form').dataset.index)
        .then(r => r.json()).then(i => tsunaguSearch.search(tsunaguSearch.prepare(i), q, 100000).length)""", query)
    shown = tab.locator("[data-search-results] li").count()
    assert total > shown == 10, "the query should match more pages than are shown"
    if status != f"「{query}」の検索結果: {total} 件中 {shown} 件を表示":
        problems.append(f"announced {status!r} for {total} matches, {shown} shown")
    if tab.inner_text("[data-search-count]").strip() != status:
        problems.append("the panel does not show what is announced")
    # Escape closes the panel and leaves focus in the box
    tab.keyboard.press("Tab")
    tab.keyboard.press("Tab")
    if not tab.evaluate("() => !!document.activeElement.closest('#ts-search-panel')"):
        problems.append("Tab from the box does not reach the results")
    tab.keyboard.press("Escape")
    if not tab.evaluate("() => document.getElementById('ts-search-panel').hidden && document.activeElement.id === 'ts-search-input'"):
        problems.append("Escape does not close the panel and return to the box")
    # a query with few matches says just the number
    tab.fill("#ts-search-input", "")
    _type_query(tab, "ヤングケアラー")
    few = tab.locator("[data-search-results] li").count()
    text = tab.inner_text("[data-ts-search] [role=status]").strip()
    tab.close()
    if not (0 < few < 10 and text.endswith(f": {few} 件")):
        problems.append(f"{few} results announced as {text!r}")
    a11y_run.check("tree", "4.1.3", not problems, "検索結果件数の読み上げ（ライブリージョン）")
    assert problems == []


# ----------------------------------------------------------------------------
# Forced colours (Windows high contrast)
# ----------------------------------------------------------------------------

_EDGE = "sel => {" + _JS_HELPERS + """
  const e = document.querySelector(sel); if (!e) return {sel, missing: true};
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const width = Math.min(...['Top', 'Right', 'Bottom', 'Left'].map(k => s['border' + k + 'Style'] === 'none' ? 0 : parseFloat(s['border' + k + 'Width'])));
  const colour = rgba(s.borderTopColor);
  const around = behind(Math.max(r.left - 2, 0), r.top + r.height / 2, e);
  return {sel, width, contrast: colour && colour[3] > 0 ? +contrast(colour, around).toFixed(2) : 0};
}"""


def test_forced_colours_keep_the_edges_of_search_and_options(browser, kamakura_server, a11y_run):
    context = browser.new_context(viewport=SIZES["1280px"])
    tab = context.new_page()
    tab.emulate_media(forced_colors="active")
    tab.goto(kamakura_server + QUESTION.url)
    edges = [tab.evaluate(_EDGE, ".ts-search__input"), tab.evaluate(_EDGE, ".md-typeset a.ts-option")]
    _type_query(tab, "相談")
    edges.append(tab.evaluate(_EDGE, ".ts-search__panel"))
    # the focus ring in forced colours, along the page
    tab.goto(kamakura_server + QUESTION.url)
    tab.evaluate(_MARK_UNFOCUSED)
    stops, problems = _walk(tab, "Tab")
    context.close()
    weak = [e for e in edges if e.get("missing") or e["width"] < 1 or e["contrast"] < 3]
    a11y_run.check("walk", "1.4.11", not weak and not problems, "強制カラーモード: 検索欄・検索結果・選択肢の境界線とフォーカス枠")
    assert weak == []
    assert len(stops) > 5 and problems == []


# ----------------------------------------------------------------------------
# Titles (built HTML) and the question pages' structure (accessibility tree)
# ----------------------------------------------------------------------------


def _title(site, url: str) -> str:
    path = site / (url if url.endswith(".html") else url + "index.html")
    m = re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S)
    return m[1].strip() if m else ""


def _heading(site, url: str) -> str:
    path = site / (url if url.endswith(".html") else url + "index.html")
    m = re.search(r"<h1\b[^>]*>(.*?)</h1>", path.read_text(encoding="utf-8"), re.S)
    return re.sub(r"<[^>]+>|\s", "", m[1]) if m else ""


def test_every_page_but_home_has_its_own_title(kamakura_site, a11y_run):
    home = _title(kamakura_site, "")
    assert home
    titles = {url: _title(kamakura_site, url) for url in site_pages(kamakura_site)}
    bare = [url for url, t in titles.items() if url and t == home]
    assert "見つかりません" in titles["404.html"]
    # the same title twice only for pages with the same heading (the same flow question or outcome
    # reached by other answers): every page, of every type, no exemption by URL
    by_title = defaultdict(set)
    for url, t in titles.items():
        by_title[t].add(_heading(kamakura_site, url))
    shared = [t for t, headings in by_title.items() if len(headings) > 1]
    index = [url for url, t in titles.items() if t.split(" - ")[0].strip().lower() == "index"]
    a11y_run.check("titles", "2.4.2", not bare and not shared and not index, "ページタイトルの確認（全ページ）")
    assert bare == [] and shared == [] and index == []


def test_flow_question_group_step_and_answers_in_the_accessibility_tree(contexts, kamakura_server, a11y_run):
    """Reading down the page: the flow and step, the question, the answers so far, then the options
    as one group named by the question."""
    tab = contexts["390px"].new_page()
    tab.goto(kamakura_server + QUESTION.url)
    lines = tab.locator("article").aria_snapshot().splitlines()
    tab.close()
    question, step = QUESTION.node.text, f"質問 {len(QUESTION.answers) + 1}"

    def first(pattern: str) -> int:
        return next((i for i, line in enumerate(lines) if re.search(pattern, line)), len(lines))

    at_step = first(re.escape(QUESTION.flow.flow.title) + ".*" + re.escape(step))
    at_heading = first(r'heading "' + re.escape(question) + r'" \[level=1\]')
    at_answers = first(r'region "これまでの回答"')
    at_group = first(r'group "' + re.escape(question) + '"')
    options = [o.label for o in QUESTION.node.options]
    in_group = [line.strip() for line in lines[at_group + 1:] if line.startswith(lines[at_group][:-len(lines[at_group].lstrip())] + "  ")]
    problems = []
    if not at_step < at_heading < at_answers < at_group < len(lines):
        problems.append(f"order step {at_step}, heading {at_heading}, answers {at_answers}, group {at_group}")
    if [o for o in options if not any(f'link "{o}"' in line for line in in_group)]:
        problems.append(f"options outside the group: {in_group}")
    a11y_run.check("tree", "1.3.1", not problems, "質問ページ: 選択肢のグループ・段階・これまでの回答の順（アクセシビリティツリー）")
    assert problems == [], "\n".join(lines)


def test_not_found_page_offers_search_flows_and_directory(kamakura_site):
    html = plain((kamakura_site / "404.html").read_text(encoding="utf-8"))  # as read: no ruby
    article = html[html.index("<article"):html.index("</article>")]
    assert "<h1>ページが見つかりません</h1>" in article
    assert re.search(r'<form[^>]*role="search"[^>]*action="[^"]*search/"', article)
    assert re.search(r'<label for="ts-notfound-q">[^<]+</label>\s*<input id="ts-notfound-q" name="q"', article)
    links = re.findall(r'<a href="([^"]*)"', article)
    assert any(h.rstrip("/").endswith("agencies") for h in links)
    assert any(h.rstrip("/").endswith("flows") for h in links) == bool(GUIDE.flows)


def test_drawer_fix_gives_the_drawer_its_target_and_close_link_once(kamakura_site):
    """The Material workaround (htmlfix) on a built page: idempotent, as every fix there must be."""
    from tsunagu.site import htmlfix
    html = (kamakura_site / "agencies" / "index.html").read_text(encoding="utf-8")
    assert html.count(f'id="{htmlfix.DRAWER_ID}"') == 1 and html.count('class="ts-menu-close"') == 1
    assert htmlfix.fix_page(html) == html
    assert 'href="#ts-menu"' in html  # the header's no-JavaScript menu link points at it
