"""Workarounds for Material for MkDocs' HTML, applied to each built page.

Material 9.x fails the W3C Nu checker on every page and renders its skip link only on pages
with a table of contents. Each function here mends one such thing and is a no-op where the
HTML is already right, so a fixed upstream release leaves nothing to undo.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from markupsafe import escape

SKIP_TEXT = "本文へ移動"
MAIN_ID = "ts-main"

_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
_SKIP = re.compile(r'(<div data-md-component="skip">).*?(</div>)', re.S)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"(?![^>]*\bid=)')
_ARTICLE_OPEN = re.compile(r'<article\b[^>]*class="md-content__inner md-typeset"[^>]*>')
_LABEL_FOR = re.compile(r'(<label\b[^>]*?)\s+for="([^"]+)"')


def drop_checkbox_autocomplete(html: str) -> str:
    """`autocomplete` is not allowed on checkboxes (Material's drawer and search toggles)."""
    return _CHECKBOX.sub(lambda m: m.group(0).replace(' autocomplete="off"', ""), html)


def drop_autocorrect(html: str) -> str:
    """`autocorrect` is not an HTML attribute (Material's search input)."""
    return html.replace(' autocorrect="off"', "")


def drop_dangling_label_for(html: str) -> str:
    """A label's `for` must name a control on the page (the table-of-contents toggle is absent
    on pages that are not in the navigation)."""
    def named(target: str) -> bool:  # an id="target" attribute (\bid=, without a regex per label)
        needle, start = f'id="{target}"', 0
        while (at := html.find(needle, start)) >= 0:
            if at == 0 or not (html[at - 1].isalnum() or html[at - 1] == "_"):
                return True
            start = at + 1
        return False

    return _LABEL_FOR.sub(lambda m: m.group(0) if named(m.group(2)) else m.group(1), html)


def skip_link_on_every_page(html: str) -> str:
    """A skip link to the main content on every page, not only on pages with a table of contents."""
    if not _ARTICLE.search(html):
        return html
    html = _ARTICLE.sub(f'<article id="{MAIN_ID}" class="md-content__inner md-typeset"', html, count=1)
    link = f'<a href="#{MAIN_ID}" class="md-skip">{SKIP_TEXT}</a>'
    return _SKIP.sub(lambda m: m.group(1) + link + m.group(2), html, count=1)


DRAWER_ID = "ts-menu"
CLOSE_TEXT = "メニューを閉じる"
_DRAWER = re.compile(r'<div class="md-sidebar md-sidebar--primary"(?![^>]*\bid=)([^>]*)>(\s*<div class="md-sidebar__scrollwrap">\s*<div class="md-sidebar__inner">)')


def drawer_opens_without_javascript(html: str) -> str:
    """Material's drawer opens only from a checkbox label, which the keyboard cannot reach. Give
    the drawer an id, so that the header's menu link (#ts-menu) opens it as its target without
    JavaScript (tsunagu.css), and a link in it that closes it (back to the main content)."""
    if f'id="{MAIN_ID}"' not in html:
        return html
    close = f'<a class="ts-menu-close" href="#{MAIN_ID}">{CLOSE_TEXT}</a>'
    return _DRAWER.sub(lambda m: f'<div id="{DRAWER_ID}" class="md-sidebar md-sidebar--primary"{m.group(1)}>'
                       + m.group(2) + close, html, count=1)


_OUTER_MAIN = '<main class="md-main" data-md-component="main">'
_CONTENT_MAIN = '<main class="md-content"'


def main_wraps_only_the_content(html: str) -> str:
    """Material's base.html opens `<main class="md-main">` outside any block, around the sidebars
    and the article, so the site navigation and the table of contents sit in the main landmark.
    overrides/main.html puts a `<main>` around the article alone; Material's outer one becomes a
    div (its end tag is the page's last `</main>`), leaving one main landmark, navigation outside it."""
    at = html.find(_OUTER_MAIN)
    if at < 0 or html.find(_CONTENT_MAIN, at) < 0:
        return html
    end = html.rfind("</main>")
    return (html[:at] + _OUTER_MAIN.replace("<main", "<div", 1) + html[at + len(_OUTER_MAIN):end]
            + "</div>" + html[end + len("</main>"):])


FIXES = (drop_checkbox_autocomplete, drop_autocorrect, drop_dangling_label_for, skip_link_on_every_page,
         drawer_opens_without_javascript, main_wraps_only_the_content)


def fix_page(html: str) -> str:
    for fix in FIXES:
        html = fix(html)
    return html


_PRIMARY_NAV = re.compile(r'<nav\b[^>]*\bclass="md-nav md-nav--primary"')
_NAV_TAG = re.compile(r"<(/?)nav\b")
_NAV_LINK = re.compile(r'<a\b(?=[^>]*\bclass="md-nav__link[" ])[^>]*\bhref="([^"#]*)"[^>]*>')
_TOC_LABEL = re.compile(r'<label\b(?=[^>]*\bclass="md-nav__link md-nav__link--active")(?=[^>]*\bfor="__toc")[^>]*>')


def current_nav_item(html: str, url: str) -> str:
    """Material tells the current page in the site navigation by colour alone and without
    `aria-current` (WCAG 1.4.1, 4.1.2), and marks nothing on a page the navigation does not list
    (an agency, a flow step). The link to the page gets `aria-current="page"`; failing that, the
    link to its nearest section (`programs/` for `programs/x/`; never the home page) gets
    `aria-current="true"` (current section, not current page). Below 60em Material shows, in the
    link's place, a label (the page's title) that opens the table of contents: it gets
    `aria-current="page"` too (one of the two is rendered at any width). tsunagu.css draws the marker."""
    start = _PRIMARY_NAV.search(html)
    if not start:
        return html
    depth, end = 0, -1  # the navigation's own </nav> (a table of contents may nest a nav inside)
    for m in _NAV_TAG.finditer(html, start.start()):
        depth += -1 if m[1] else 1
        if depth == 0:
            end = m.end()
            break
    region = html[start.start():end]
    if end < 0 or "aria-current=" in region:
        return html
    here = "/" + url.lstrip("/")
    links = [(m, urlsplit(urljoin("http://site" + here, m[1])).path) for m in _NAV_LINK.finditer(region)]
    chosen, value = next((m for m, path in links if path == here), None), "page"
    if chosen is None:
        sections = [(len(path), m) for m, path in links if path != "/" and path.endswith("/") and here.startswith(path)]
        if not sections:
            return html
        chosen, value = max(sections, key=lambda s: s[0])[1], "true"
    at = [start.start() + chosen.start() + len("<a")]
    if value == "page" and (label := _TOC_LABEL.search(region, 0, chosen.start())):
        at.insert(0, start.start() + label.start() + len("<label"))
    for pos in reversed(at):
        html = html[:pos] + f' aria-current="{value}"' + html[pos:]
    return html


def error_banner(html: str, lines: list[str]) -> str:
    """In preview (`mkdocs serve`), a banner on every page listing the data errors that stop publishing."""
    if not lines:
        return html
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    banner = (f'<div class="ts-preview-errors" role="alert"><p><strong>データに {len(lines)} 件の誤りがあります。'
              f"直すまで、前に作ったページを表示しています。</strong></p><ul>{items}</ul></div>")
    return _ARTICLE_OPEN.sub(lambda m: m.group(0) + banner, html, count=1)

