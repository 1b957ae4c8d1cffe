"""The printed booklet, regenerated from the Guide: a standalone print page and its PDF.

The page (booklet/index.html) is the whole Guide in the booklet's order with its own print CSS:
A4, running head, page numbers, no site header, search or drawer. The PDF is that page printed
by headless Chromium: the tests already need Chromium, it lays out Japanese text well with the
fonts-noto-cjk package, and cities can install it from their OS packages. Without Chromium the
build goes on: the print page is there, the PDF is not, and a message says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from markupsafe import Markup

from . import child, dates, pdftext, render
from .published import BOOKLET_PAGE, BOOKLET_PDF
from .guide import Guide

PAGE_FILE = BOOKLET_PAGE + "index.html"
# Chromium's names on Debian/Ubuntu, Fedora and others; TSUNAGU_CHROMIUM names another
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180


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


def running_head(guide: Guide) -> str:
    site = guide.site
    return f"{site.title}（{site.city}・{dates.wareki_month(site.issued)}発行）"


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
        "chapter_parts": layout(guide)[0], "other_parts": layout(guide)[1], "part_intros": part_intros(guide),
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


def write_pdf(page: Path, target: Path) -> str | None:
    """Print the page to target with headless Chromium. Returns None, or a message in Japanese
    saying why there is no PDF (the build goes on without it)."""
    exe = find_browser()
    if not exe:
        return ("冊子の PDF は作りませんでした: Chromium が見つかりません（Debian/Ubuntu では "
                "apt-get install chromium fonts-noto-cjk）。印刷用のページ booklet/ はできています。")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.part")
    with tempfile.TemporaryDirectory(prefix="tsunagu-chromium-") as profile:
        # its own profile folder, so that a Chromium already running does not take the job over
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={profile}", f"--print-to-pdf={partial}",
                Path(page).resolve().as_uri()]
        try:
            result = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"冊子の PDF は作りませんでした: Chromium を動かせませんでした ({exc})。印刷用のページ booklet/ はできています。"
    if not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        detail = (result.stderr or "").strip().splitlines()[-1:] or [f"終了コード {result.returncode}"]
        return f"冊子の PDF は作りませんでした: Chromium が PDF を書きませんでした ({detail[0]})。印刷用のページ booklet/ はできています。"
    message = None
    try:
        pdftext.fix_pdf(partial, Path(page).read_text(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001 - the PDF is still usable; say so and go on
        partial.with_name(partial.name + ".fix").unlink(missing_ok=True)
        message = f"冊子の PDF の文字情報（検索・コピー用）を直せませんでした ({exc})。PDF はそのまま使えます。"
    partial.replace(target)
    return message


class PdfJob:
    """The PDF printed by a second process while MkDocs writes the pages, so that Chromium's
    seconds and the text-map fix no longer add to the build: started from the Guide alone (the
    print page needs nothing of the built site), finished into the site folder at the end.

    The process says it is done with one line (its message, or an empty line) and then waits to
    hear "taken". If the build is killed before it takes the PDF, the process hears nothing, and
    removes its folder itself."""

    def __init__(self, guide: Guide):
        self._dir = Path(tempfile.mkdtemp(prefix="tsunagu-booklet-"))
        self._guide, self._html = guide, render_page(guide)
        page = write_page(self._dir, guide, self._html)
        self._pdf = self._dir / BOOKLET_PDF
        self._proc = child.start("booklet", "_print", [str(page), str(self._pdf)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")

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
            if self._pdf.exists():
                target = Path(site_dir) / BOOKLET_PDF
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(self._pdf, target)
            self._proc.communicate("taken\n")
            return said.strip() or None
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)

    def cancel(self) -> None:
        self._proc.kill()
        self._proc.communicate()
        shutil.rmtree(self._dir, ignore_errors=True)


def _print(page: str, target: str) -> None:
    """The job's second process: print the page, say so in one line, and wait to hear "taken"."""
    message = write_pdf(Path(page), Path(target))
    try:
        print(" ".join((message or "").split()), flush=True)
        taken = sys.stdin.readline() == "taken\n"
    except OSError:  # the build is gone, and its end of the pipe with it
        taken = False
    if not taken:  # nobody will take the PDF
        shutil.rmtree(Path(target).parent, ignore_errors=True)
        os._exit(0)  # nothing left to say, and nobody to say it to


def write(site_dir: Path, guide: Guide, pdf: bool = True) -> str | None:
    """The print page, then (unless pdf is False) the PDF. Returns a message when there is no PDF."""
    page = write_page(site_dir, guide)
    return write_pdf(page, Path(site_dir) / BOOKLET_PDF) if pdf else None
