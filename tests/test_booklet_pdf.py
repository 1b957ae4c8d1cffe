"""The booklet PDF as a print shop's preflight sees it (issue 22): embedded TrueType fonts (no
Type 3), bookmarks for every chapter, a table of contents whose page numbers are the pages the
chapters start on, the issue and update dates, no page holding only a fragment; and the
print-shop edition (`tsunagu booklet --print-shop`): chapters on right-hand pages, a page count
that is a multiple of 4.

The reading edition is the build's booklet.pdf (the session's one Kamakura build); the print-shop
edition is printed once for this module by the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from tsunagu.outputs import booklet
from tsunagu.site import published
from tsunagu.data.dates import wareki_month

pytestmark = pytest.mark.browser

MIN_CHARS = 80  # a page other than the cover and an intentional blank holds at least this much text


def squash(text: str) -> str:
    return "".join(text.split())


def _reader(path: Path):
    from pypdf import PdfReader
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the booklet PDF must be built in CI: {path} is missing")
        pytest.skip("no booklet PDF (no Chromium here)")
    return PdfReader(str(path))


@pytest.fixture(scope="module")
def reading(kamakura_site):
    return _reader(kamakura_site / published.BOOKLET_PDF)


@pytest.fixture(scope="module")
def print_shop(tmp_path_factory):
    out = tmp_path_factory.mktemp("print-shop") / "booklet.pdf"
    if booklet.find_browser():
        result = subprocess.run([sys.executable, "-m", "tsunagu", "booklet", "--print-shop", str(DATA), str(out)],
                                cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "冊子の PDF を書き出しました" in result.stdout and "印刷所向け" in result.stdout
        assert result.stderr == "", result.stderr  # no message: fonts, numbers and page count are right
    return _reader(out)


def outline(reader) -> list[tuple[int, str, int]]:
    """(depth, title, page from 1) of every bookmark, in order."""
    out = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, squash(item.title), reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 0)
    return out


def chapters(guide) -> list[str]:
    """The booklet's chapters (top-level table-of-contents entries), as titles."""
    return [squash(title) for _, title, _ in booklet.toc(guide)]


def entries(guide) -> list[tuple[str, bool]]:
    """(title, is a chapter) of every table-of-contents entry, in order."""
    return [(squash(t), part) for _, title, subs in booklet.toc(guide)
            for t, part in [(title, True)] + [(sub, False) for _, sub in subs]]


def starts(reader, titles: list[str]) -> list[tuple[str, int]]:
    """(title, the page it starts on) by the outline, matched in order (a title may also be that of
    an earlier, smaller heading: the match goes on from the bookmark of the title before)."""
    marks, at, found = outline(reader), 0, []
    for title in titles:
        at = next((i for i in range(at, len(marks)) if marks[i][1] == title), None)
        assert at is not None, f"no bookmark {title} (after {found[-1:]})"
        found.append((title, marks[at][2]))
    return found


def toc_numbers(reader) -> list[tuple[str, int]]:
    """(title, the page number the table of contents prints beside it), read from the PDF's text."""
    toc_page = next(page for _, title, page in outline(reader) if title == "目次")
    numbers = []
    for line in reader.pages[toc_page - 1].extract_text().splitlines():
        title, _, number = line.rstrip().rpartition(" ")
        if title and number.isdigit():
            numbers.append((squash(title), int(number)))
    return numbers


def body(page, head: str) -> str:
    """A page's text without its running head and page number."""
    lines = [squash(line) for line in page.extract_text().splitlines()]
    return "".join(line for line in lines if line != squash(head) and not line.isdigit())


def fonts(reader) -> list[dict]:
    """Every font of every page (and of its form XObjects), with its descendant fonts."""
    out, seen = [], set()
    todo = [page.get("/Resources") for page in reader.pages]
    while todo:
        resources = todo.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                out += [font] + [d.get_object() for d in font.get("/DescendantFonts") or []]
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                seen.add(id(xobject))
                todo.append(xobject.get("/Resources"))
    return out


# ----------------------------------------------------------------------------
# The reading edition (the build's booklet.pdf)
# ----------------------------------------------------------------------------


def test_fonts_are_embedded_truetype_subsets_of_biz_ud_not_type3(reading):
    found = fonts(reading)
    assert found
    subtypes = {str(f.get("/Subtype")) for f in found}
    assert "/Type3" not in subtypes, subtypes
    assert subtypes <= {"/Type0", "/CIDFontType2", "/TrueType"}, subtypes
    for font in found:
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            assert "/FontFile2" in descriptor.get_object(), f"{font.get('/BaseFont')} is not embedded"
    assert all(booklet.FONT_FILE in str(f.get("/BaseFont")) for f in found)


def test_the_text_layer_is_the_pages_characters_without_repair(reading, kamakura):
    text = squash("".join(page.extract_text() for page in reading.pages))
    assert "支援" in text and "長女" in text and "重層的支援体制" in text
    assert not [c for c in set(text) if 0x2E80 <= ord(c) <= 0x2FDF or c == "\u2027"]


def test_title_language_and_tags_are_kept(reading, kamakura):
    assert reading.metadata.title == f"{kamakura.site.title}（冊子・印刷用）"
    root = reading.trailer["/Root"]
    assert root["/Lang"] == "ja"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_an_outline_entry_for_every_chapter_and_section_in_order(reading, kamakura):
    # every chapter of the Guide, then every table-of-contents entry, found in order (starts asserts it)
    named = [squash(f"{c.number_label} {c.title}" if c.number else c.title) for c in kamakura.chapters]
    assert [t for t, _ in starts(reading, named)] == named and len(named) >= 2
    assert len(starts(reading, [t for t, _ in entries(kamakura)])) == len(entries(kamakura))
    # the chapters are the outline's top entries under the title (its h1, the cover)
    top = [title for depth, title, _ in outline(reading) if depth == 1]
    assert [t for t in top if t != "目次"] == chapters(kamakura)


def test_the_table_of_contents_numbers_are_the_pages_the_chapters_start_on(reading, kamakura):
    wanted = [t for t, _ in entries(kamakura)]
    start = starts(reading, wanted)
    assert toc_numbers(reading) == start
    # the numbers are the PDF's own page numbers (the cover is page 1, unnumbered)
    for title, page in start:
        assert str(page) in reading.pages[page - 1].extract_text().splitlines()


def test_cover_running_head_and_colophon_give_the_issue_and_the_latest_data_date(reading, kamakura):
    latest = max(kamakura.updated.values())  # the latest `updated:` of the data files
    assert booklet.updated(kamakura) == latest
    line = f"{wareki_month(kamakura.site.issued)}発行・{wareki_month(latest)}更新"
    assert squash(line) in squash(booklet.running_head(kamakura))
    pages = [squash(page.extract_text()) for page in reading.pages]
    cover = f"{wareki_month(kamakura.site.issued)}（{kamakura.site.issued.year}年{kamakura.site.issued.month}月）発行"
    assert squash(cover) in pages[0] and squash(f"{wareki_month(latest)}（{latest.year}年{latest.month}月）更新") in pages[0]
    assert all(squash(booklet.running_head(kamakura)) in text for text in pages[1:])
    assert squash(booklet.issue_line(kamakura, seireki=True)) in pages[-1]  # the colophon


def test_no_page_holds_only_a_fragment(reading, kamakura):
    head = booklet.running_head(kamakura)
    thin = {n: body(page, head) for n, page in enumerate(reading.pages, start=1)
            if n > 1 and len(body(page, head)) < MIN_CHARS}
    assert thin == {}
    # the closure table is named by its heading once, not by a caption saying it again
    assert squash("事業ごとの終結の基準事業ごとの終結の基準") not in squash("".join(p.extract_text() for p in reading.pages))


# ----------------------------------------------------------------------------
# The print-shop edition (tsunagu booklet --print-shop)
# ----------------------------------------------------------------------------


def test_print_shop_edition_has_chapters_on_right_hand_pages_and_a_multiple_of_4_pages(print_shop, reading, kamakura):
    assert len(print_shop.pages) % 4 == 0
    every = starts(print_shop, [t for t, _ in entries(kamakura)])
    start = dict(starts(print_shop, chapters(kamakura)))
    assert {t: p for t, p in start.items() if p % 2 == 0} == {}
    # its table of contents counts the blank pages
    assert toc_numbers(print_shop) == every
    # the blank pages are intentional: before a chapter that would start on a left-hand page, or at the end
    head = booklet.running_head(kamakura)
    texts = [body(page, head) for page in print_shop.pages]
    blank = [n for n, text in enumerate(texts, start=1) if not text and n > 1]
    assert blank and len(print_shop.pages) - len(blank) == len(reading.pages)
    chapter_pages = set(start.values())
    for n in blank:
        assert n + 1 in chapter_pages or all(not t for t in texts[n - 1:]), f"page {n} is blank for no reason"
        assert not print_shop.pages[n - 1].extract_text().strip()  # no running head or number on it either
    assert {n: t for n, t in enumerate(texts, start=1) if n > 1 and n not in blank and len(t) < MIN_CHARS} == {}
    assert "/Type3" not in {str(f.get("/Subtype")) for f in fonts(print_shop)}


def test_without_biz_ud_the_pdf_is_made_in_the_fallback_font_and_a_japanese_message_says_so(kamakura, tmp_path):
    if not booklet.find_browser():
        pytest.skip("no Chromium here")
    page = booklet.write_page(tmp_path, kamakura)
    page.write_text(page.read_text(encoding="utf-8").replace(f'"{booklet.FONT}"', '"No Such Font"'), encoding="utf-8")
    message = booklet.write_pdf(page, tmp_path / "booklet.pdf")
    assert (tmp_path / "booklet.pdf").exists()
    assert "代わりのフォント" in message and booklet.FONT_PACKAGE in message


def test_the_command_says_in_japanese_when_there_is_no_chromium(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tsunagu", "booklet", str(DATA), str(tmp_path / "b.pdf")], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8",
                            env={**os.environ, "TSUNAGU_CHROMIUM": str(tmp_path / "no-such-browser")})
    assert result.returncode == 1 and "Chromium が見つかりません" in result.stderr and "Traceback" not in result.stderr
    assert "booklet/ はできています" not in result.stderr and not (tmp_path / "b.pdf").exists()
