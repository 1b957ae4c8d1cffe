"""Focus rings on every focusable element, and the current page in the site navigation (issue 20, items 1-2).

The keyboard walks (test_focus) judge the stops Tab reaches; here every focusable element of six
page types is focused in turn, at 390 px, 1280 px and 200 % zoom, with the drawer open and closed,
and its ring is measured against the nearest opaque background behind it. The current page is
marked with `aria-current` (tsunagu/site/htmlfix.py) and drawn bold with a bar (tsunagu.css): read from
the built HTML, from Chromium's accessibility tree and from computed styles.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import site_pages
from test_focus import _JS_HELPERS, GUIDE, OUTCOME, QUESTION, SIZES
from tsunagu.site import htmlfix
from tsunagu.site.pages import nav

# The six page types and where the navigation marks them: the page itself ("page"), or for a page
# the navigation does not list, its section ("true": the current section, not the current page)
PAGES = {
    "home": ("", "", "page"),
    "flow question": (QUESTION.url, "flows/", "true"),
    "flow outcome": (OUTCOME.url, "flows/", "true"),
    "directory": ("agencies/", "agencies/", "page"),
    "programme": (f"programs/{GUIDE.programs[0].id}/", "programs/", "true"),
    "glossary": ("glossary/", "glossary/", "page"),
}
NARROW = ("390px", "1280px@200%")  # sizes where the navigation is a drawer

# ----------------------------------------------------------------------------
# Reading the built HTML: the links of the site navigation
# ----------------------------------------------------------------------------


class _NavLinks(HTMLParser):
    """Links inside <nav class="md-nav md-nav--primary"> (a nested nav counted, not left early)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open nav elements since the primary one opened (0: outside it)
        self.links: list[dict] = []
        self.labels: list[dict] = []  # labels marked current (Material's table-of-contents toggle)
        self.text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and (self.depth or "md-nav--primary" in (a.get("class") or "").split()):
            self.depth += 1
        elif tag == "a" and self.depth and "href" in a:
            self.links.append(a)
            self.text = []
        elif tag == "label" and self.depth and "aria-current" in a:
            self.labels.append(a)

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1
        elif tag == "a" and self.text is not None:
            self.links[-1]["text"] = "".join(self.text).strip()
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def _nav_links(site, url: str, labels: bool = False) -> list[dict]:
    reader = _NavLinks()
    reader.feed((site / (url if url.endswith(".html") else url + "index.html")).read_text(encoding="utf-8"))
    return reader.labels if labels else reader.links


def _resolve(url: str, href: str) -> str:
    """A link's target as a site URL ("" for the home page, "agencies/")."""
    return urlsplit(urljoin("http://site/" + url, href)).path.lstrip("/")


def _listed() -> list[str]:
    """The URLs the site navigation lists, from the Guide (not from the HTML under test)."""
    out = []
    for item in nav(GUIDE):
        src = next(iter(item.values()))
        stem = src[: -len(".md")]
        out.append("" if stem == "index" else stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    return out


def test_the_navigation_marks_the_current_page_or_its_section_once_on_every_page(kamakura_site, a11y_run):
    listed, problems, marked = _listed(), [], 0
    assert len(listed) > 10 and "" in listed
    for url in site_pages(kamakura_site):
        links = _nav_links(kamakura_site, url)
        if not links:
            continue
        current = [(a.get("aria-current"), _resolve(url, a["href"])) for a in links if "aria-current" in a]
        if url in listed:
            want = [("page", url)]
        else:
            sections = [s for s in listed if s and url.startswith(s)]
            want = [("true", max(sections, key=len))] if sections and not url.endswith(".html") else []
        if current != want:
            problems.append(f"/{url}: aria-current on {current}, expected {want}")
        # the label shown in the current link's place on narrow screens (pages with a table of contents)
        labels = [(a.get("aria-current"), a.get("for")) for a in _nav_links(kamakura_site, url, labels=True)]
        if labels not in ([], [("page", "__toc")]) or (labels and want[:1] != [("page", url)]):
            problems.append(f"/{url}: aria-current on labels {labels}")
        marked += bool(current)
    for kind, (url, target, value) in PAGES.items():
        current = [(a.get("aria-current"), _resolve(url, a["href"])) for a in _nav_links(kamakura_site, url)
                   if "aria-current" in a]
        if current != [(value, target)]:
            problems.append(f"{kind} /{url}: aria-current on {current}, expected {[(value, target)]}")
        html = (kamakura_site / url / "index.html").read_text(encoding="utf-8")
        if htmlfix.current_nav_item(html, url) != html:  # a Material workaround is idempotent
            problems.append(f"{kind} /{url}: marked again on a second pass")
    a11y_run.check("tree", "1.3.1", not problems, "ナビゲーションの現在のページ（aria-current、全ページの HTML）")
    assert marked > 100
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------
# In the browser: every focusable element's ring against the nearest opaque background behind it
# ----------------------------------------------------------------------------

_RINGS = "(within) => {" + _JS_HELPERS + """
  // the first opaque background-color from el up its ancestors (the page's white past the root)
  const backdrop = el => { for (; el; el = el.parentElement) {
      const b = rgba(getComputedStyle(el).backgroundColor); if (b && b[3] > 0.5) return b; }
    return [255, 255, 255, 1]; };
  const scope = within ? document.querySelector(within) : document;
  const out = {focused: 0, problems: [], worst: null};
  for (const e of scope.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')) {
    if (e.tabIndex < 0 || e.disabled) continue;
    e.focus({preventScroll: true});
    if (document.activeElement !== e) continue;  // not focusable as the page is (a closed drawer)
    out.focused += 1;
    const s = getComputedStyle(e), name = `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} "${(e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 24)}"`;
    if (!e.matches(':focus-visible')) { out.problems.push(`${name}: not :focus-visible`); continue; }
    if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) { out.problems.push(`${name}: no ring`); continue; }
    // a ring drawn inside the element lies on the element's own background, else on its parent's
    const inside = parseFloat(s.outlineOffset) + parseFloat(s.outlineWidth) <= 0;
    const ratio = contrast(rgba(s.outlineColor), backdrop(inside ? e : e.parentElement));
    if (!out.worst || ratio < out.worst.ratio) out.worst = {name, ratio: +ratio.toFixed(2)};
    if (ratio < 3) out.problems.push(`${name}: ring ${s.outlineColor} at ${ratio.toFixed(2)}:1`);
  }
  document.activeElement && document.activeElement.blur();
  return out;
}"""
_DRAWER_SHOWN = """() => { const d = document.querySelector('.md-sidebar--primary'), r = d.getBoundingClientRect();
    return document.getElementById('__drawer').checked && getComputedStyle(d).visibility === 'visible'
      && r.right > 0 && r.left >= -1; }"""


def _open_drawer(tab):
    """As a keyboard user does: the menu button, then Enter (focus goes into the drawer)."""
    tab.focus(".ts-menu-button")
    tab.keyboard.press("Enter")
    tab.wait_for_function(_DRAWER_SHOWN)
    tab.evaluate("() => document.getAnimations().forEach(a => { try { a.finish(); } catch (_) {} })")


@pytest.fixture(scope="module")
def contexts(browser):
    made = {name: browser.new_context(viewport=size) for name, size in SIZES.items()}
    yield made
    for context in made.values():
        context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_every_focusable_element_has_a_ring_of_3_to_1_against_its_background(contexts, kamakura_server, a11y_run):
    problems, focused, worst = [], 0, []
    for size, context in contexts.items():
        tab = context.new_page()
        for kind, (url, _, _) in PAGES.items():
            for drawer in ((False, True) if size in NARROW else (False,)):
                tab.goto(kamakura_server + url)
                tab.keyboard.press("Shift")  # keyboard use: programmatic focus then shows the ring
                if drawer:
                    _open_drawer(tab)
                    # inside the open drawer only: focus leaving it closes it (tsunagu.js)
                    title = tab.evaluate("() => document.activeElement.matches('.md-nav__title a.md-logo')")
                    if not title:
                        problems.append(f"{size} {kind}: the first stop in the drawer is not its title link")
                    found = tab.evaluate(_RINGS, ".md-sidebar--primary")
                    if not tab.evaluate(_DRAWER_SHOWN):
                        problems.append(f"{size} {kind}: the drawer closed while its links were focused")
                else:
                    found = tab.evaluate(_RINGS, None)
                where = f"{size} {kind} /{url}{' (drawer open)' if drawer else ''}"
                if found["focused"] < 5:
                    problems.append(f"{where}: only {found['focused']} elements took focus")
                focused += found["focused"]
                problems += [f"{where}: {p}" for p in found["problems"]]
                if found["worst"]:
                    worst.append((found["worst"]["ratio"], where, found["worst"]["name"]))
        tab.close()
    a11y_run.check("walk", "1.4.11", not problems,
                   "フォーカス枠のコントラスト 3:1 以上（6 種のページのすべての操作対象、メニューの開閉、3 つの画面幅）")
    a11y_run.check("walk", "2.4.7", not problems, "フォーカス表示（すべての操作対象）")
    assert focused > 400
    print("lowest ring contrast:", min(worst))
    assert problems == [], "\n".join(problems)


# ----------------------------------------------------------------------------
# In the browser: the current item in the accessibility tree, and drawn not by colour alone
# ----------------------------------------------------------------------------

_MARKER = "() => {" + _JS_HELPERS + """
  const nav = document.querySelector('nav.md-nav--primary');
  // one link marked in the HTML; on screen, it or the label Material shows in its place
  const links = [...nav.querySelectorAll('a[aria-current]')];
  const current = [...nav.querySelectorAll('[aria-current]')].filter(e => e.getClientRects().length);
  const other = [...nav.querySelectorAll('.md-nav__list a.md-nav__link:not([aria-current])')][0];
  if (links.length !== 1 || current.length !== 1 || !other) return {count: links.length, shown: current.length};
  const c = getComputedStyle(current[0]), o = getComputedStyle(other);
  let bg = current[0], b = null;
  for (; bg; bg = bg.parentElement) { b = rgba(getComputedStyle(bg).backgroundColor); if (b && b[3] > 0.5) break; }
  const bar = c.borderLeftStyle !== 'none' && parseFloat(c.borderLeftWidth) >= 2;
  return {count: 1, href: links[0].href, text: current[0].innerText.trim(), tag: current[0].tagName.toLowerCase(),
    sameText: current[0].innerText.trim() === links[0].textContent.trim(),
    // what tells it apart other than colour
    weight: c.fontWeight !== o.fontWeight, underline: c.textDecorationLine !== o.textDecorationLine,
    bar: bar && !(o.borderLeftStyle !== 'none' && parseFloat(o.borderLeftWidth) >= 2),
    barContrast: bar ? +contrast(rgba(c.borderLeftColor), b || [255, 255, 255, 1]).toFixed(2) : 0};
}"""


def _tree_link(tab, selector: str) -> dict:
    """The accessibility tree's node for an element, and the roles and names above it (Chromium's
    DevTools protocol). The protocol lists no aria-current property, so the caller reads it from
    the DOM node the tree gives."""
    cdp = tab.context.new_cdp_session(tab)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    backend = cdp.send("DOM.describeNode", {"nodeId": node})["node"]["backendNodeId"]
    for _ in range(30):  # the tree follows the drawer's opening a little later than the styles
        nodes = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": True})["nodes"]
        me = next(n for n in nodes if n.get("backendDOMNodeId") == backend)
        if not me.get("ignored"):
            break
        tab.wait_for_timeout(100)
    by_id = {n["nodeId"]: n for n in nodes}
    above, at = [], me.get("parentId")
    while at in by_id:
        n = by_id[at]
        above.append((n["role"]["value"], n.get("name", {}).get("value", "")))
        at = n.get("parentId")
    cdp.detach()
    return {"role": me["role"]["value"], "name": me.get("name", {}).get("value", ""), "ignored": me.get("ignored"),
            "above": above}


@pytest.mark.browser
@pytest.mark.slow
def test_the_current_item_is_in_the_accessibility_tree_and_not_marked_by_colour_alone(contexts, kamakura_server,
                                                                                     a11y_run):
    problems, bars = [], []
    for size, context in contexts.items():
        tab = context.new_page()
        for kind, (url, target, value) in PAGES.items():
            tab.goto(kamakura_server + url)
            if size in NARROW:
                tab.keyboard.press("Shift")
                _open_drawer(tab)
            elif tab.evaluate("() => !document.querySelector('.md-sidebar--primary').getClientRects().length"):
                continue  # a page that hides the sidebar on wide screens (the home page); in the drawer above
            where = f"{size} {kind} /{url}"
            m = tab.evaluate(_MARKER)
            if m["count"] != 1:
                problems.append(f"{where}: {m['count']} links with aria-current, {m['shown']} marked items shown")
                continue
            if not m["sameText"]:
                problems.append(f"{where}: the marked item on screen ({m['tag']}) does not name the marked link")
            if m["href"] != kamakura_server + target:
                problems.append(f"{where}: aria-current on {m['href']}")
            if not (m["weight"] or m["underline"] or m["bar"]):
                problems.append(f"{where}: the current item differs from the others by colour alone")
            if m["bar"]:
                bars.append(m["barContrast"])
                if m["barContrast"] < 3:
                    problems.append(f"{where}: its bar at {m['barContrast']}:1")
            node = _tree_link(tab, f"nav.md-nav--primary {m['tag']}[aria-current=\"{value}\"]")
            named = node["name"] == m["text"] if m["tag"] == "a" else node["role"] == "LabelText"
            if node["ignored"] or not named:
                problems.append(f"{where}: in the tree as {node['role']} {node['name']!r} (ignored: {node['ignored']})")
            if "navigation" not in [role for role, _ in node["above"]]:
                problems.append(f"{where}: not inside the site navigation in the tree: {node['above'][:4]}")
        tab.close()
    a11y_run.check("tree", "4.1.2", not problems, "ナビゲーションの現在のページ（aria-current、アクセシビリティツリー）")
    a11y_run.check("walk", "1.4.1", not problems, "ナビゲーションの現在のページを色だけで示さない（太字と左の線、3:1 以上）")
    print("current-item bar contrast:", sorted(set(bars)))
    assert problems == [], "\n".join(problems)
