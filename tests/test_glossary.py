"""The 用語集: a page from data/glossary.yml, and every page links each term at its first use."""

from __future__ import annotations


import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BOOKLET, DATA
from htmlread import page_of, plain
from tsunagu import load_guide
from tsunagu.site.glossary import link_terms, spellings

GUIDE = load_guide(DATA)
TERMS = [t for t in GUIDE.glossary if t.link]

# ----------------------------------------------------------------------------
# Reading a built page: the text of its main content, and for each character whether it sits
# inside a link or a heading. Terms are found in this text, across element boundaries, so a
# term the linker could not see (split by markup) still counts as a use.
# ----------------------------------------------------------------------------


class _Main(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    # where the linker links nothing (glossary._SKIP): links and headings
    COVERED = {"a", "h1", "h2", "h3", "h4", "h5", "h6"}
    # not read at all: a figure drawn in SVG is hidden from screen readers (its list beside it is the
    # text), so a term's first use is the first one a reader meets outside it, and must be linked there
    UNREAD = {"script", "style", "svg"}

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
        if not self.in_article or self.UNREAD & set(self.stack):
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
                 "ヤングケアラー", "8050", "8050問題", "Libero かまくら", "参加支援", "属性", "相談受付・申込票", "民生委員",
                 # issue 19: words resident pages use
                 "地域包括支援センター", "基幹相談支援センター", "一般相談", "自立相談支援機関", "ケアマネジャー",
                 "スクールソーシャルワーカー"):
        assert word in names, word


def test_a_general_explanation_is_only_for_words_the_booklet_does_not_explain():
    # 民生委員 must say what a 民生委員 is; the booklet never does, so the site's general words do, marked as such
    by_term = {t.term: t for t in GUIDE.glossary}
    assert by_term["民生委員"].general and by_term["民生委員"].definition is None
    for t in GUIDE.glossary:
        assert not (t.general and t.definition), t.id


def test_the_application_form_entry_says_who_filled_it_in_as_the_cases_do():
    # case 1 (L1176-1182): the father, whom Libero met; case 3 (L1344-1368): the teacher consulted, the
    # mother filled it in. The entry must not say that the person who consulted fills it in.
    form = next(t for t in GUIDE.glossary if t.term == "相談受付・申込票")
    assert "相談した人" not in form.plain
    assert "父親や母親" in form.plain and "相談支援機関など" in form.plain


def test_every_term_has_a_plain_explanation_and_a_source_for_the_booklets_words():
    for t in GUIDE.glossary:
        assert t.plain
        if t.definition:
            assert t.source and t.source == sorted(t.source), t.id


@pytest.mark.usefixtures("shared_booklet")
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
    html = plain((kamakura_site / "glossary" / "index.html").read_text(encoding="utf-8"))  # as read: no ruby
    page = page_of(kamakura_site, "glossary")
    for t in GUIDE.glossary:
        assert f'id="{t.id}"' in html, t.id
        assert t.plain in page.main_text
        if t.definition:
            assert t.definition in page.main_text
    assert html.count("<dt>このサイトによる説明</dt>") == len(GUIDE.glossary)
    general = [t for t in GUIDE.glossary if t.general]
    assert general and html.count("<dt>一般的な説明</dt>") == len(general)
    assert html.count("（このサイトによる説明です。冊子には書かれていません）") == len(general)
    for t in general:
        assert t.general in page.main_text


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


# ----------------------------------------------------------------------------
# The one-pass linker links as the former one did (one alternation of every spelling, longest
# first, over the page's HTML) on every page of the city, where no character reference is involved
# ----------------------------------------------------------------------------


def _alternation_linker(html: str, terms, page_url: str) -> str:
    """The former linker, kept here as the reference: quadratic in terms x page, otherwise the same."""
    from markupsafe import escape

    from tsunagu.site.glossary import _SKIP, _TAG_NAME, _TOKEN
    from tsunagu.site.render import relative_url
    if page_url in ("glossary/", "easy/glossary/"):
        return html
    glossary_url = "easy/glossary/" if page_url.startswith("easy/") else "glossary/"  # Easy pages: the Easy glossary
    words = spellings(terms)
    pattern = re.compile("|".join(re.escape(str(escape(w))) for w in sorted(words, key=lambda w: (-len(w), w))))
    by_escaped = {str(escape(w)): id_ for w, id_ in words.items()}
    linked: set[str] = set()
    skipping: dict[str, int] = {}
    out, pos = [], 0

    def repl(match):
        id_ = by_escaped[match.group(0)]
        if id_ in linked:
            return match.group(0)
        linked.add(id_)
        return f'<a class="ts-term" href="{escape(relative_url(f"{glossary_url}#{id_}", page_url))}">{match.group(0)}</a>'

    for token in _TOKEN.finditer(html):
        text = html[pos:token.start()]
        out.append(pattern.sub(repl, text) if not any(skipping.values()) else text)
        out.append(token.group(0))
        name = _TAG_NAME.match(token.group(0))
        if name and not token.group(0).startswith("<!--"):
            if name.group(2).lower() in _SKIP and not token.group(0).rstrip(">").endswith("/"):
                tag = name.group(2).lower()
                skipping[tag] = max(0, skipping.get(tag, 0) + (-1 if name.group(1) == "/" else 1))
        pos = token.end()
    out.append(pattern.sub(repl, html[pos:]) if not any(skipping.values()) else html[pos:])
    return "".join(out)


def test_the_linker_links_every_page_as_the_former_one_did():
    import markdown
    from mkdocs.config import load_config
    from mkdocs.utils.meta import get_data

    from tsunagu.build.prepare import prepare
    root = DATA.parent
    config = load_config(str(root / "mkdocs.yml"))
    docs = {p.relative_to(root / "docs").as_posix(): get_data(p.read_text(encoding="utf-8"))[0]
            for p in sorted((root / "docs").rglob("*.md"))}
    site = prepare(DATA, docs)
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    differ, links = [], 0
    for src, text in {**site.generated, **site.docs}.items():
        html = md.reset().convert(text)
        url = "" if src == "index.md" else src.removesuffix("index.md").removesuffix(".md") + ("" if src.endswith("index.md") else "/")
        if re.search(r"&#?[0-9A-Za-z]*(?:8050|" + "|".join(re.escape(w) for w in WORDS) + ")", html):
            continue  # a term right after a reference's start: the former linker was wrong there
        new = link_terms(html, site.guide.glossary, url)
        links += new.count('class="ts-term"')
        if new != _alternation_linker(html, site.guide.glossary, url):
            differ.append(src)
    assert differ == [] and links > 100
