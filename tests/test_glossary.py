"""The 用語集: a page from data/glossary.yml, and every page links each term at its first use."""

from __future__ import annotations

import os

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA
from htmlread import page_of
from tsunagu import load_guide
from tsunagu.glossary import link_terms, spellings

GUIDE = load_guide(DATA)
TERMS = [t for t in GUIDE.glossary if t.link]
BOOKLET = DATA.parent.parent / "shared" / "booklet" / "booklet.txt"

# ----------------------------------------------------------------------------
# Reading a built page: the text of its main content, and for each character whether it sits
# inside a link or a heading. Terms are found in this text, across element boundaries, so a
# term the linker could not see (split by markup) still counts as a use.
# ----------------------------------------------------------------------------


class _Main(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    COVERED = {"a", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.covered: list[bool] = []
        self.glossary_links: list[str] = []  # the entry ids linked from the main content
        self.term_links: list[str] = []  # the same, for links the term linker made
        self.hrefs: list[str] = []
        self.stack: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article += 1
        if self.in_article and tag == "a":
            href = dict(attrs).get("href") or ""
            self.hrefs.append(href)
            if "glossary/#" in href:
                self.glossary_links.append(href.rsplit("#", 1)[1])
                if "ts-term" in (dict(attrs).get("class") or ""):
                    self.term_links.append(href.rsplit("#", 1)[1])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]

    def handle_data(self, data):
        if not self.in_article or {"script", "style"} & set(self.stack):
            return
        covered = bool(self.COVERED & set(self.stack))
        self.text.append(data)
        self.covered.extend([covered] * len(data))


def _main(path: Path) -> _Main:
    reader = _Main()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


WORDS = spellings(TERMS)
FINDER = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))


def first_uses(reader: _Main) -> dict[str, tuple[int, str, bool]]:
    """term id -> (position, spelling, inside a link or heading) of its first use in the main text.
    The longest spelling wins where two overlap, as a reader reads 「重層的支援会議」 as one word."""
    text = "".join(reader.text)
    found: dict[str, tuple[int, str, bool]] = {}
    for match in FINDER.finditer(text):
        id_ = WORDS[match.group(0)]
        if id_ not in found:
            found[id_] = (match.start(), match.group(0), all(reader.covered[match.start():match.end()]))
    return found


def _pages(site: Path) -> list[str]:
    out = []
    for html in sorted(site.rglob("index.html")):
        url = html.parent.relative_to(site).as_posix()
        out.append("" if url == "." else url + "/")
    return out


# ----------------------------------------------------------------------------
# The data
# ----------------------------------------------------------------------------


def test_the_glossary_holds_the_terms_of_the_issue():
    names = {t.term for t in GUIDE.glossary} | {w for t in GUIDE.glossary for w in t.also}
    for word in ("包括的相談支援事業者", "多機関協働", "重層的支援会議", "支援会議", "鎌倉市福祉支援会議", "アウトリーチ",
                 "ヤングケアラー", "8050", "8050問題", "Libero かまくら", "参加支援", "属性", "相談受付・申込票", "民生委員"):
        assert word in names, word


def test_every_term_has_a_plain_explanation_and_a_source_for_the_booklets_words():
    for t in GUIDE.glossary:
        assert t.plain
        if t.definition:
            assert t.source and t.source == sorted(t.source), t.id


@pytest.mark.skipif(not BOOKLET.exists() and os.environ.get("CI") != "true", reason=f"the booklet text is not at {BOOKLET}")
def test_the_booklets_definitions_are_the_booklets_words_at_the_lines_cited():
    lines = BOOKLET.read_text(encoding="utf-8").split("\n")
    for t in GUIDE.glossary:
        if not t.definition:
            continue
        first, last = t.source[0], t.source[-1]
        cited = re.sub(r"\s", "", "".join(lines[first - 1:last]))
        assert re.sub(r"\s", "", t.definition) in cited, f"{t.id}: not found at lines {first}-{last}"


# ----------------------------------------------------------------------------
# The linker on its own
# ----------------------------------------------------------------------------


def test_link_terms_links_the_first_use_longest_first_and_never_inside_links_or_headings():
    html = ("<h2>重層的支援会議</h2><p>まず <a href='x'>支援会議</a> と 重層的支援会議、次に 支援会議 と"
            " 重層的支援会議。</p><pre><code>8050</code></pre><p>8050問題</p>")
    out = link_terms(html, GUIDE.glossary, "meetings/")
    assert out.count('href="../glossary/#jusoteki-shien-kaigi"') == 1
    assert "<h2>重層的支援会議</h2>" in out
    assert "<a href='x'>支援会議</a>" in out
    assert 'と <a class="ts-term" href="../glossary/#jusoteki-shien-kaigi">重層的支援会議</a>、' in out
    assert '次に <a class="ts-term" href="../glossary/#shien-kaigi">支援会議</a> と' in out
    assert "<code>8050</code>" in out
    assert '<a class="ts-term" href="../glossary/#hachimaru-gomaru">8050問題</a>' in out


def test_link_terms_leaves_the_glossary_page_alone():
    html = "<p>重層的支援会議</p>"
    assert link_terms(html, GUIDE.glossary, "glossary/") == html


# ----------------------------------------------------------------------------
# The built site
# ----------------------------------------------------------------------------


def test_glossary_page_has_an_entry_with_an_anchor_for_every_term(kamakura_site):
    html = (kamakura_site / "glossary" / "index.html").read_text(encoding="utf-8")
    page = page_of(kamakura_site, "glossary")
    for t in GUIDE.glossary:
        assert f'id="{t.id}"' in html, t.id
        assert t.plain in page.main_text
        if t.definition:
            assert t.definition in page.main_text
    assert html.count("<dt>このサイトによる説明</dt>") == len(GUIDE.glossary)


def test_glossary_page_is_reached_from_the_navigation_and_both_hubs(kamakura_site):
    html = (kamakura_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<nav[^>]*md-nav--primary.*href="glossary/".*</nav>', html, re.DOTALL)
    for url in ("residents/", "professionals/"):
        assert "../glossary/" in _main(kamakura_site / url / "index.html").hrefs, url


def test_every_term_is_linked_from_at_least_one_page(kamakura_site):
    linked: set[str] = set()
    for url in _pages(kamakura_site):
        if url != "glossary/":
            linked.update(_main(kamakura_site / url / "index.html").glossary_links)
    assert {t.id for t in TERMS} - linked == set()


def _audience_pages(site: Path) -> list[str]:
    """The resident and professional pages: the hubs, home, the resident flows, and every page a
    professional reads (programmes, meetings, cases, the hub, the support flow, the directory)."""
    urls = ["", "residents/", "professionals/", "support-flow/", "agencies/", "meetings/", "programs/", "cases/",
            "closure/", f"{GUIDE.hub.id}/"]
    urls += [f"programs/{p.id}/" for p in GUIDE.programs] + [f"meetings/{m.id}/" for m in GUIDE.meetings]
    urls += [f"cases/{c.id}/" for c in GUIDE.cases]
    urls += [u for u in _pages(site) if u.startswith("flows/")]
    return urls


def test_every_page_links_each_term_at_its_first_use(kamakura_site):
    missing = []
    for url in _audience_pages(kamakura_site):
        for id_, (pos, word, covered) in first_uses(_main(kamakura_site / url / "index.html")).items():
            if not covered:
                missing.append(f"{url or '/'}: 「{word}」({id_})")
    assert missing == []


def test_term_links_point_at_entries_that_exist(kamakura_site):
    ids = {t.id for t in GUIDE.glossary}
    for url in _audience_pages(kamakura_site):
        assert set(_main(kamakura_site / url / "index.html").glossary_links) <= ids, url


def test_a_term_is_linked_once_per_page(kamakura_site):
    for url in _audience_pages(kamakura_site):
        links = _main(kamakura_site / url / "index.html").term_links
        assert len(links) == len(set(links)), url
