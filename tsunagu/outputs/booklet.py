"""The printed booklet, regenerated from the Guide: a standalone print page and its PDF.

The page (booklet/index.html) is the whole Guide in the booklet's order with its own print CSS:
A4, running head, page numbers, no site header, search or drawer. The PDF is that page printed
by headless Chromium: the tests already need Chromium, it lays out Japanese text well, and cities
can install it from their OS packages. Without Chromium the build goes on: the print page is
there, the PDF is not, and a message says so.

Print grade (issue 22): the page asks for BIZ UDPGothic (fonts-morisawa-bizud-gothic), which
Chromium embeds as TrueType (CID) subsets whose text layer names the page's characters; the PDF
has an outline of the headings (bookmarks) and a table of contents with page numbers, printed in
two passes: the first gives each heading's page (its named destination), the second prints the
numbers into space the first kept for them, so that no page moves. The print-shop edition
(`tsunagu booklet --print-shop`) also starts every chapter on a right-hand (odd) page and makes
the page count a multiple of 4, with blank pages.

The print page carries no ふりがな: it is the booklet as the city printed it, and the source of the
PDF; the site's pages, which hold the same chapters, carry the readings (tsunagu/data/readings.py).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from markupsafe import Markup

from ..data import dates
from ..data.guide import Guide
from ..site import render
from ..site.published import BOOKLET_PAGE, BOOKLET_PDF
from . import child

PAGE_FILE = BOOKLET_PAGE + "index.html"
# Chromium's names on Debian/Ubuntu, Fedora and others; TSUNAGU_CHROMIUM names another
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180
# The font the booklet is printed in (fonts-morisawa-bizud-gothic on Debian/Ubuntu): a font for
# public documents, embedded as TrueType. Noto Sans CJK, the fallback, comes out as Type 3 fonts
# whose text layer names some kanji by CJK radicals (支 as the radical U+2F40).
FONT, FONT_FILE, FONT_PACKAGE = "BIZ UDPGothic", "BIZUDPGothic", "fonts-morisawa-bizud-gothic"
# The data files the booklet draws on: its 内容の更新 date is the latest of theirs
SOURCES = ("site", "narrative", "programs", "support_flow", "meetings", "cases", "hub", "agencies", "offices",
           "fields")


# ----------------------------------------------------------------------------
# The print page
# ----------------------------------------------------------------------------


def css_string(value: object) -> Markup:
    """Text for a CSS string in double quotes inside <style>, escaped for CSS (not for HTML: the
    browser does not decode &#39; inside <style>, so HTML escaping printed it as it is). A quote, a
    backslash, a line end, < > & and every character that is not printable become backslash-hex
    escapes ("\\22 "), so the string shows the text exactly and nothing from the data can end the
    string or the element. Markup, so that the page's HTML escaping leaves it alone."""
    out = []
    for ch in str(value):
        if ch in '"\'\\<>&' or not ch.isprintable():
            out.append(f"\\{ord(ch):x} ")  # the space ends the escape; CSS drops it
        else:
            out.append(ch)
    return Markup("".join(out))


def updated(guide: Guide):
    """When the booklet's content last changed: the latest date of the data files it draws on."""
    return guide.last_updated(*SOURCES)


def issue_line(guide: Guide, seireki: bool = False) -> str:
    """令和7年3月発行・令和8年11月更新 (the update left out while it is the issue month); seireki adds
    the 西暦 after each date."""
    def month(day) -> str:
        return dates.wareki_month(day) + (f"（{dates.seireki_month(day)}）" if seireki else "")
    issued, changed = guide.site.issued, updated(guide)
    return f"{month(issued)}発行" + (f"・{month(changed)}更新" if changed > issued else "")


def running_head(guide: Guide) -> str:
    site = guide.site
    return f"{site.title}（{site.city}・{issue_line(guide)}）"


# The booklet's larger parts, in the order they follow the chapters when no chapter holds them
# (a chapter holds one by naming it in its `show`, as the printed booklet's chapters hold them)
PARTS = ("program_pages", "closure", "support_flow", "meetings", "cases", "hub")


def layout(guide: Guide) -> tuple[dict[str, list[str]], list[str]]:
    """What each chapter holds, in its order (a part named twice: where it is first named), and
    the larger parts no chapter holds, in the order of PARTS."""
    seen: set[str] = set()
    held = {c.id: [p for p in c.show if not (p in seen or seen.add(p))] for c in guide.chapters}
    return held, [p for p in PARTS if p not in seen]


def part_intros(guide: Guide) -> dict:
    """part name -> the heading and paragraphs the chapters give it (chapter.part_intros; first wins)."""
    out: dict = {}
    for c in guide.chapters:
        for name, intro in c.part_intros.items():
            out.setdefault(name, intro)
    return out


def _part_entries(guide: Guide, name: str) -> list[tuple[str, str]]:
    """(anchor, title) of a larger part: its heading, or (programme pages in a chapter) each programme."""
    intros = part_intros(guide)
    title = lambda default: intros[name].title if name in intros else default  # noqa: E731
    if name == "program_pages":
        return [(f"program-{p.id}", f"{p.number}. {p.name}") for p in guide.programs]
    if name == "closure":
        return [("closure", title("事業ごとの終結の基準"))] if guide.closure_programs() else []
    if name == "support_flow":
        return [("support-flow", title(guide.support_flow.title))]
    if name == "meetings":
        return [("meetings", title("支援会議"))]
    if name == "cases":
        return [("cases", title("事例"))] + [(f"case-{c.id}", c.title) for c in guide.cases] if guide.cases else []
    if name == "hub":
        return [("hub", title(guide.hub.name))]
    return []


def toc(guide: Guide) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(anchor, title, sub-entries) of each part, in the booklet's order: each chapter with the larger
    parts it holds, then the larger parts no chapter holds, the directory and the publisher."""
    held, rest = layout(guide)
    items = [(f"chapter-{c.id}", (f"{c.number_label} " if c.number else "") + c.title,
              [e for name in held[c.id] for e in _part_entries(guide, name)]) for c in guide.chapters]
    for name in rest:
        entries = _part_entries(guide, name)
        if name == "program_pages":
            items.append(("programs", part_intros(guide)["program_pages"].title if "program_pages" in part_intros(guide)
                          else "事業", entries))
        elif name == "closure" and "program_pages" in rest:
            items[-1][2].extend(entries)  # under the programmes, as the page prints it
        elif name == "cases" and entries:
            items.append((entries[0][0], entries[0][1], entries[1:]))
        elif entries:
            items.append((entries[0][0], entries[0][1], []))
    items += [("directory", "相談先一覧", []), ("publisher", "発行・問い合わせ", [])]
    return items


def render_page(guide: Guide) -> str:
    env = render.make_env()
    env.filters["css_string"] = css_string
    return render.render_template(env, "booklet.html.j2", {
        "guide": guide, "running_head": running_head(guide), "toc": toc(guide),
        "chapter_parts": layout(guide)[0], "other_parts": layout(guide)[1], "part_intros": part_intros(guide), "font": FONT,
        "issue_line": issue_line(guide, seireki=True),
        "site_home": "../", "pdf_link": "../" + BOOKLET_PDF,
    })


def write_page(site_dir: Path, guide: Guide, html: str | None = None) -> Path:
    """The print page in the site folder (html: the page, if it is rendered already)."""
    target = Path(site_dir) / PAGE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_page(guide) if html is None else html, encoding="utf-8")
    return target


# ----------------------------------------------------------------------------
# The PDF
# ----------------------------------------------------------------------------


def find_browser() -> str | None:
    named = os.environ.get("TSUNAGU_CHROMIUM")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


NO_PDF = "冊子の PDF は作りませんでした"
ABANDONED = f"{NO_PDF}: 作っている途中でサイトの作成が止まりました。"
PAGE_IS_THERE = "印刷用のページ booklet/ はできています。"


def _chromium(exe: str, page: Path, target: Path, gone=lambda: False) -> str | None:
    """Print one HTML file to target; None, or why there is no PDF (Japanese, for the message).
    Chromium runs in a process group of its own, which is stopped whole (with the helpers Chromium
    starts) when it takes longer than TIMEOUT or when gone() says nobody waits for the PDF any more."""
    with tempfile.TemporaryDirectory(prefix="tsunagu-chromium-", ignore_cleanup_errors=True) as profile, \
            tempfile.TemporaryFile() as log:
        # its own profile folder, so that a Chromium already running does not take the job over
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--generate-pdf-document-outline",  # bookmarks from the headings
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", f"--print-to-pdf={target}",
                Path(page).resolve().as_uri()]
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                    start_new_session=True)
        except OSError as exc:
            return f"Chromium を動かせませんでした ({exc})"
        end = time.monotonic() + TIMEOUT
        try:
            while proc.poll() is None:
                if gone():
                    return ABANDONED
                if time.monotonic() > end:
                    return f"Chromium を動かせませんでした ({TIMEOUT} 秒で終わりませんでした)"
                try:
                    proc.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            _stop_group(proc)
        log.seek(0)
        stderr = log.read().decode("utf-8", "replace")
    if not target.exists() or target.stat().st_size == 0:
        target.unlink(missing_ok=True)
        detail = stderr.strip().splitlines()[-1:] or [f"終了コード {proc.returncode}"]
        return f"Chromium が PDF を書きませんでした ({detail[0]})"
    return None


def _stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, and whatever it started and left behind."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing of it is left
    proc.wait()


# The table of contents' page numbers: an empty box of fixed width per entry in the page
# (data-part: the entry is a chapter, which the print-shop edition starts on a right-hand page)
_TOC_PAGE = re.compile(r'<span class="toc-page" data-page-of="([^"]+)"( data-part)?>[^<]*</span>')
BLANK = '<div class="blank-page"></div>'


def toc_entries(html: str) -> list[tuple[str, bool]]:
    """(anchor, is a chapter) of each table-of-contents entry, in order."""
    return [(m.group(1), bool(m.group(2))) for m in _TOC_PAGE.finditer(html)]


def anchor_pages(pdf: Path) -> dict[str, int]:
    """The page (from 1) of every element Chromium made a named destination of (the ids links point to)."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(str(pdf)).pages)


def numbered(html: str, pages: dict[str, int]) -> str:
    """The page with each table-of-contents entry's page number in its box, and its dot leaders
    shown (class "paged" on <html>: a page printed from the browser has neither)."""
    def fill(m: re.Match) -> str:
        return m.group(0).replace("></span>", f">{pages[m.group(1)]}</span>") if m.group(1) in pages else m.group(0)
    return re.sub(r"<html\b", '<html class="paged"', _TOC_PAGE.sub(fill, html), count=1)


def print_shop_layout(html: str, pages: dict[str, int], total: int) -> tuple[str, dict[str, int]]:
    """The page with blank pages before each chapter that would start on a left-hand (even) page and
    at the end up to a multiple of 4 pages, and where each table-of-contents entry then falls."""
    entries = toc_entries(html)
    before, shift = [], 0
    for anchor, part in entries:
        if part and anchor in pages and (pages[anchor] + shift) % 2 == 0:
            before.append(anchor)
            shift += 1
    for anchor in before:
        html = _heading(anchor).sub(lambda m: BLANK + m.group(0), html, count=1)
    html = html.replace("</article>", BLANK * (-(total + shift) % 4) + "</article>", 1)
    moved = {a: p + sum(1 for b in before if pages[b] <= p) for a, p in pages.items()}
    return html, moved


# A chapter whose last page would hold less than this (characters of text, running head and page
# number aside) is set a little tighter (class "tight"), so that its tail joins the page before
SHORT_TAIL = 200
_MARGIN_BAND = 14 * 72 / 25.4  # the running head and the page number sit within 14 mm of the edge


def body_chars(pdf: Path, numbers: list[int] | None = None) -> list[int]:
    """How many characters of text each page (or each of these pages, numbered from 1) holds
    between its running head and its page number."""
    from pypdf import PdfReader
    reader, counts = PdfReader(str(pdf)), []
    for page in (reader.pages if numbers is None else [reader.pages[n - 1] for n in numbers]):
        top, found = float(page.mediabox.top) - _MARGIN_BAND, []

        def visit(text, cm, tm, font, size, top=top, found=found):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if _MARGIN_BAND < y < top:
                found.append(len("".join(text.split())))
        page.extract_text(visitor_text=visit)
        counts.append(sum(found))
    return counts


def short_tails(pdf: Path, html: str) -> list[str]:
    """The chapters (their anchors) that run onto a last page holding less than SHORT_TAIL characters."""
    pages = anchor_pages(pdf)
    starts = [(anchor, pages[anchor]) for anchor, part in toc_entries(html) if part and anchor in pages]
    ends = [start for _, start in starts[1:]] + [page_count(pdf) + 1]
    runs_on = [(anchor, end - 1) for (anchor, start), end in zip(starts, ends) if end - 1 > start]
    counts = body_chars(pdf, [last for _, last in runs_on])
    return [anchor for (anchor, _), count in zip(runs_on, counts) if count < SHORT_TAIL]


def tightened(html: str, anchors: list[str]) -> str:
    """The page with each of these chapters (from its heading to the next chapter's) in <div class="tight">."""
    parts = [anchor for anchor, part in toc_entries(html) if part]
    for anchor in anchors:
        following = parts[parts.index(anchor) + 1:]
        html = _heading(anchor).sub(lambda m: '<div class="tight">' + m.group(0), html, count=1)
        if following:
            html = _heading(following[0]).sub(lambda m: "</div>" + m.group(0), html, count=1)
        else:
            html = html.replace("</article>", "</div></article>", 1)
    return html


def _heading(anchor: str) -> re.Pattern:
    return re.compile(r'<h[1-6]\b[^>]*\bid="' + re.escape(anchor) + '"')


def font_problem(pdf: Path) -> str | None:
    """Why the PDF is not print grade (a Type 3 font, or not the booklet's font), or None."""
    from pypdf import PdfReader
    reader = PdfReader(str(pdf))
    kinds, names = set(), set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            kinds.add(str(font.get("/Subtype")))
            names.add(str(font.get("/BaseFont", "")))
            for descendant in font.get("/DescendantFonts") or []:
                kinds.add(str(descendant.get_object().get("/Subtype")))
    if "/Type3" in kinds or not any(FONT_FILE in name for name in names):
        return (f"冊子の PDF は {FONT}（BIZ UDPゴシック）が見つからないため、代わりのフォントで作りました。"
                f"画面では読めますが、印刷所の入稿には向かず、文字の検索・コピーが正しくならないことがあります"
                f"（Debian/Ubuntu では apt-get install {FONT_PACKAGE}）。")
    return None


def _no_pdf(why: str) -> str:
    return why if why == ABANDONED else f"{NO_PDF}: {why}。{PAGE_IS_THERE}"


def write_pdf(page: Path, target: Path, print_shop: bool = False, gone=lambda: False) -> str | None:
    """Print the page to target with headless Chromium, in two passes: the first gives the page of
    every table-of-contents entry, the second prints their numbers into the space the first kept
    (print_shop: with blank pages, see print_shop_layout). A chapter whose last page would hold
    only a few lines is set tighter, which takes a pass more. Returns None, or a message in Japanese
    saying why there is no PDF (the build goes on without it) or what is wrong with it.
    gone: says whether nobody waits for the PDF any more (a killed build): then no further pass starts."""
    exe = find_browser()
    if not exe:
        return (f"{NO_PDF}: Chromium が見つかりません（Debian/Ubuntu では "
                f"apt-get install chromium {FONT_PACKAGE}）。{PAGE_IS_THERE}")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.part")
    html = Path(page).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="tsunagu-booklet-pass-") as work:
        first = Path(work) / "first.pdf"
        failed = _chromium(exe, Path(page), first, gone)
        if failed:
            return _no_pdf(failed)
        try:
            tails = short_tails(first, html)
            if gone():
                return ABANDONED
            if tails:  # those chapters a little tighter, and where everything then falls
                html = tightened(html, tails)
                (Path(work) / "tight.html").write_text(html, encoding="utf-8")
                failed = _chromium(exe, Path(work) / "tight.html", first, gone)
                if failed:
                    return _no_pdf(failed)
            pages = anchor_pages(first)
            wanted = {anchor: pages[anchor] for anchor, _ in toc_entries(html) if anchor in pages}
            if print_shop:
                html, wanted = print_shop_layout(html, wanted, page_count(first))
        except Exception as exc:  # noqa: BLE001 - pypdf could not read the first pass: keep it as it is
            shutil.copyfile(first, partial)
            partial.replace(target)
            return f"冊子の PDF の目次にページ番号を入れられませんでした ({exc})。PDF はそのまま使えます。"
        if gone():
            return ABANDONED
        second = Path(work) / "index.html"
        second.write_text(numbered(html, wanted), encoding="utf-8")
        failed = _chromium(exe, second, partial, gone)
        if failed:
            return _no_pdf(failed)
    messages = [font_problem(partial)]
    got = anchor_pages(partial)
    moved = [a for a, p in wanted.items() if got.get(a) != p]
    if moved:
        messages.append(f"冊子の PDF の目次のページ番号が、{len(moved)} か所で本文とずれています（{moved[0]}）。")
    if print_shop and page_count(partial) % 4:
        messages.append(f"冊子の PDF のページ数（{page_count(partial)}）が 4 の倍数になりませんでした。")
    partial.replace(target)
    return " ".join(m for m in messages if m) or None


class PdfJob:
    """The PDF printed by a second process while MkDocs writes the pages, so that Chromium's
    seconds (two passes) no longer add to the build: started from the Guide alone (the
    print page needs nothing of the built site), finished into the site folder at the end.

    The printing process owns its folder from before the folder exists: it is started first and
    told the folder's name; the build then makes the folder, writes the print page into it and
    says "go". The process says it is done with one line (its message, or an empty line) and then
    waits to hear "taken". Whenever the build is gone before that (killed at any moment, even
    before "go"), the process stops Chromium, removes the folder and ends; cancel() asks the same
    with SIGTERM. So no folder is ever left that no process will remove."""

    def __init__(self, guide: Guide):
        self._dir = Path(tempfile.gettempdir()) / f"tsunagu-booklet-{secrets.token_hex(8)}"
        self._proc = child.start("outputs.booklet", "_print", [str(self._dir), str(os.getpid())], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self._guide, self._html = guide, render_page(guide)
        self._dir.mkdir(mode=0o700)
        write_page(self._dir, guide, self._html)
        self._proc.stdin.write("go\n")
        self._proc.stdin.flush()

    @classmethod
    def start(cls, guide: Guide) -> "PdfJob | None":
        """A job, or None where there is no Chromium (write() then says so)."""
        return cls(guide) if find_browser() else None

    def finish(self, site_dir: Path) -> str | None:
        """Write the print page, wait for the PDF and put it beside it. Returns a message when there
        is no PDF or it is imperfect. (Chromium's own time limit bounds the wait.)"""
        write_page(site_dir, self._guide, self._html)
        try:
            said = self._proc.stdout.readline()
            if not said:  # the process failed before it could say anything
                self._proc.wait()
                detail = self._proc.stderr.read().strip().splitlines()[-1:] or [f"終了コード {self._proc.returncode}"]
                return f"冊子の PDF は作りませんでした ({detail[0]})。印刷用のページ booklet/ はできています。"
            pdf = self._dir / BOOKLET_PDF
            if pdf.exists():
                target = Path(site_dir) / BOOKLET_PDF
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(pdf, target)
            self._proc.communicate("taken\n")
            return said.strip() or None
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)

    def cancel(self) -> None:
        """Stop the printing (its Chromium with it) and remove its folder."""
        self._proc.terminate()
        try:
            self._proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()
        shutil.rmtree(self._dir, ignore_errors=True)


def _print(folder: str, build: str) -> None:
    """The job's second process: wait for "go", print the page in folder, say so in one line, and
    wait to hear "taken". Whenever the build (process id build) is gone (killed: this process has
    a new parent, perhaps before it could look) or asks it to stop (SIGTERM), it stops Chromium,
    removes the folder and ends."""
    parent, stop = int(build), []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    folder = Path(folder)
    taken = False
    try:
        if sys.stdin.readline() != "go\n":  # the build ended before its page was written
            return
        try:
            message = write_pdf(folder / PAGE_FILE, folder / BOOKLET_PDF,
                                gone=lambda: bool(stop) or os.getppid() != parent)
        except Exception as exc:  # noqa: BLE001 - said to the build, which goes on without the PDF
            message = f"{NO_PDF} ({exc})。{PAGE_IS_THERE}"
        print(" ".join((message or "").split()), flush=True)
        taken = sys.stdin.readline() == "taken\n"
    except OSError:  # the build is gone, and its end of the pipe with it
        pass
    finally:
        if not taken:  # nobody will take the PDF
            shutil.rmtree(folder, ignore_errors=True)
            os._exit(0)  # nothing left to say, and nobody to say it to


def write(site_dir: Path, guide: Guide, pdf: bool = True) -> str | None:
    """The print page, then (unless pdf is False) the PDF. Returns a message when there is no PDF."""
    page = write_page(site_dir, guide)
    return write_pdf(page, Path(site_dir) / BOOKLET_PDF) if pdf else None
