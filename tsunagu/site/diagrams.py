"""Figures drawn from the data: the support flow and the programmes, as inline SVG.

The same markup goes on the web pages and into the printed booklet. Each figure is a <figure> whose
SVG is hidden from assistive technology (aria-hidden): the list next to it stays the text
alternative, and the figcaption says what the figure shows. Everything in the SVG is drawn with
currentColor, so forced colours (Windows high contrast) and print keep every line; no meaning is
carried by colour. Text is real <text>: SVG does not wrap it, so labels are broken into lines here
(wrap) and boxes are sized from the lines.

One layout, drawn for a narrow column (WIDTH user units): at a 320 px screen the figure is scaled to
about 288 px and its smallest text stays above 12 px; on wide screens and paper the figure's
max-width (in em) keeps its text near the size of the text around it. Nothing is fetched, no script.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup

from ..data import labels
from .escaping import text_escape

# ----------------------------------------------------------------------------
# Measures (SVG user units)
# ----------------------------------------------------------------------------

WIDTH = 300  # the viewBox width
FONT = 14  # titles and names
SMALL = 13  # conditions and notes; 13 * 288 / 300 = 12.5 px at a 320 px screen
LINE = 1.45  # line height, in font sizes
PAD = 8  # inside a box
GAP = 26  # between boxes joined by an arrow
BADGE = 12  # radius of a step's number circle
MAX_WIDTH_EM = 22  # the figure's widest: text about 1.02 em (14 * 22 / 300)
TINT = "0.06"  # box fill: a tint of currentColor, so any colour scheme (and forced colours) keeps it light

# ----------------------------------------------------------------------------
# Line breaking
# ----------------------------------------------------------------------------

# A run of Latin letters, digits or a number with its separators is never split (「Kamome」, 「03-1234-5678」,
# 「18歳」's 18); full-width digits too.
_WORD = re.compile(r"[A-Za-z0-9０-９][A-Za-z0-9０-９.,:/%+\-'’＿_]*")
# Characters that may not start a line (closing brackets and punctuation, small kana, the long vowel
# mark) and that may not end one (opening brackets): kept with their neighbour.
_NO_START = set("、。，．,.・：；:;？！?!ー～…‥」』）)】〕〉》］]｝}”’ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ")
_NO_END = set("「『（(【〔〈《［[｛{“‘")


def char_width(ch: str) -> float:
    """A character's advance in ems, a little generous for proportional Latin text."""
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    return 0.62


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def _tokens(text: str) -> list[str]:
    """The pieces a line may break between: a word or number, a space, one other character; with
    the characters that may not start or end a line joined to their neighbour."""
    pieces: list[str] = []
    i = 0
    while i < len(text):
        m = _WORD.match(text, i)
        piece = m.group(0) if m else text[i]
        i += len(piece)
        if pieces and (piece[0] in _NO_START or pieces[-1][-1] in _NO_END) and not pieces[-1].isspace():
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def wrap(text: str, ems: float) -> list[str]:
    """text broken into lines no wider than ems (a word or number wider than a line is cut only
    when it cannot fit one line by itself)."""
    lines: list[str] = []
    line = ""
    for piece in _tokens(" ".join(str(text).split())):
        if line and text_width(line + piece.rstrip()) > ems:
            lines.append(line.rstrip())
            line = "" if piece.isspace() else piece
        else:
            line = line + piece if (line or not piece.isspace()) else ""
        while text_width(line) > ems:  # one piece longer than a line: cut it, as a last resort
            cut = 1
            while cut < len(line) and text_width(line[:cut + 1]) <= ems:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


# ----------------------------------------------------------------------------
# SVG pieces: every data text goes through text_escape() (XML/HTML's & < > " ', and Markdown's syntax as
# references: an engine that reads raw HTML for links, Zensical, finds none in the data's words)
# ----------------------------------------------------------------------------


def _n(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


@dataclass
class _Canvas:
    parts: list[str] = field(default_factory=list)

    def box(self, x: float, y: float, w: float, h: float, strong: bool = False, dashed: bool = False) -> None:
        extra = ' stroke-dasharray="6 4"' if dashed else ""
        fill = 'fill="none"' if dashed else f'fill="currentColor" fill-opacity="{TINT}"'
        self.parts.append(f'<rect class="ts-fig-box" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="6" '
                          f'{fill} stroke="currentColor" stroke-width="{2.5 if strong else 1.5}"{extra}/>')

    def circle(self, cx: float, cy: float, r: float) -> None:
        self.parts.append(f'<circle class="ts-fig-line" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" fill="none" '
                          f'stroke="currentColor" stroke-width="1.5"/>')

    def line(self, *points: tuple[float, float]) -> None:
        d = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        self.parts.append(f'<polyline class="ts-fig-line" points="{d}" fill="none" stroke="currentColor" stroke-width="1.5"/>')

    def arrow(self, x: float, y1: float, y2: float) -> None:
        """A downward arrow from y1 to y2 (its tip)."""
        self.line((x, y1), (x, y2 - 7))
        self.parts.append(f'<polygon class="ts-fig-head" points="{_n(x - 5)},{_n(y2 - 8)} {_n(x + 5)},{_n(y2 - 8)} '
                          f'{_n(x)},{_n(y2)}" fill="currentColor" stroke="currentColor" stroke-width="1"/>')

    def badge(self, number: int, x: float, y: float) -> None:
        """A number in a circle, its top left corner at (x, y)."""
        cx, cy = x + BADGE, y + BADGE
        self.circle(cx, cy, BADGE)
        self.text([str(number)], cx, cy - FONT / 2 - 1.5, bold=True, anchor="middle")

    def text(self, lines: list[str], x: float, y: float, size: float = FONT, bold: bool = False,
             anchor: str = "start") -> float:
        """Lines of text whose first line's top is at y; returns the height they take."""
        attrs = f'font-size="{_n(size)}"' + (' font-weight="bold"' if bold else "")
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        spans = "".join(f'<tspan x="{_n(x)}" y="{_n(y + size + i * size * LINE)}">{text_escape(ln)}</tspan>'
                        for i, ln in enumerate(lines))
        self.parts.append(f'<text {attrs} fill="currentColor">{spans}</text>')
        return _lines_height(len(lines), size)

    def svg(self, height: float, name: str) -> Markup:
        body = "".join(self.parts)
        return Markup(f'<svg class="ts-fig-svg ts-fig-{name}" viewBox="0 0 {WIDTH} {_n(height)}" width="100%" '
                      f'style="display:block;max-width:{MAX_WIDTH_EM}em;height:auto" aria-hidden="true">{body}</svg>')


def _lines_height(n: int, size: float = FONT) -> float:
    """The height of n lines of text: line spacing between them, room for descenders below the last."""
    return size * LINE * (n - 1) + size * 1.3


def _figure(svg: Markup, caption: str, name: str) -> Markup:
    """One line of HTML: a Markdown page keeps it as one raw HTML block (no blank line inside)."""
    return Markup(f'<figure class="ts-figure ts-figure-{name}" style="margin:1.2em 0;break-inside:avoid">{svg}<figcaption>{text_escape(caption)}</figcaption></figure>')


# ----------------------------------------------------------------------------
# The support flow: steps in boxes joined by arrows; a step's branches split below it, each with
# its condition on the arrow and the meeting it leads to
# ----------------------------------------------------------------------------

_MIN_COLUMN = 120  # narrower branch columns than this are drawn one under another
_COLUMN_GAP = 10


def _step_box(c: _Canvas, step, y: float) -> float:
    """A numbered step box at y; returns its height."""
    text_x = 2 * BADGE + 2 * PAD
    lines = wrap(step.title, (WIDTH - 2 - text_x - PAD) / FONT)
    h = max(_lines_height(len(lines)), 2 * BADGE) + 2 * PAD
    c.box(1, y, WIDTH - 2, h)
    c.badge(step.number, PAD + 1, y + PAD)
    c.text(lines, text_x, y + PAD, bold=True)
    return h


def _branch_columns(c: _Canvas, guide, branches, top: float) -> float:
    """Branches side by side under the step (its bottom at top): returns the height they take."""
    n, gap = len(branches), _COLUMN_GAP
    cw = (WIDTH - 2 - gap * (n - 1)) / n
    centres = [1 + cw / 2 + i * (cw + gap) for i in range(n)]
    split = top + 12
    c.line((WIDTH / 2, top), (WIDTH / 2, split))
    if n > 1:
        c.line((centres[0], split), (centres[-1], split))
    conds = [wrap(b.when, (cw - 4) / SMALL) for b in branches]
    boxes_top = split + 10 + max(_lines_height(len(x), SMALL) for x in conds) + 2 + GAP - 6  # the meetings in a row
    bottom = split
    for i, b in enumerate(branches):
        x0, cx = 1 + i * (cw + gap), centres[i]
        y = split + 8
        c.line((cx, split), (cx, y))
        y += 2
        y += c.text(conds[i], cx, y, size=SMALL, anchor="middle") + 2
        if b.meeting:
            name = wrap(guide.meeting(b.meeting).name, (cw - 2 * PAD) / FONT)
            bh = _lines_height(len(name)) + 2 * PAD
            c.arrow(cx, y, boxes_top)
            c.box(x0, boxes_top, cw, bh, strong=True)
            c.text(name, cx, boxes_top + PAD, bold=True, anchor="middle")
            y = boxes_top + bh
        bottom = max(bottom, y)
    return bottom - top


def _branch_rows(c: _Canvas, guide, branches, top: float) -> float:
    """Branches one under another, each off a line down the left side (many branches)."""
    trunk = 14
    x0 = trunk + 14
    w = WIDTH - 1 - x0
    y = top + 10
    mids = []
    for b in branches:
        cond = wrap(b.when, (w - 2 * PAD) / SMALL)
        name = wrap(guide.meeting(b.meeting).name, (w - 2 * PAD) / FONT - 1.7) if b.meeting else []  # after "→ "
        h = _lines_height(len(cond), SMALL) + (_lines_height(len(name)) + 4 if name else 0) + 2 * PAD
        c.box(x0, y, w, h, strong=bool(name))
        ty = y + PAD
        ty += c.text(cond, x0 + PAD, ty, size=SMALL)
        if name:
            c.text(["→ " + name[0], *name[1:]], x0 + PAD, ty + 4, bold=True)
        mids.append(y + min(h / 2, 20))
        c.line((trunk, mids[-1]), (x0 - 7, mids[-1]))
        c.parts.append(f'<polygon class="ts-fig-head" points="{_n(x0 - 8)},{_n(mids[-1] - 5)} {_n(x0 - 8)},{_n(mids[-1] + 5)} '
                       f'{_n(x0)},{_n(mids[-1])}" fill="currentColor" stroke="currentColor" stroke-width="1"/>')
        y += h + 10
    c.line((WIDTH / 2, top), (WIDTH / 2, top + 5), (trunk, top + 5), (trunk, mids[-1]))
    return y - 10 - top


def support_flow_svg(guide) -> Markup:
    flow = guide.support_flow
    c = _Canvas()
    y = 1.0
    for i, step in enumerate(flow.steps):
        if i and not flow.steps[i - 1].branches:
            c.arrow(WIDTH / 2, y, y + GAP)
            y += GAP
        elif i:
            y += GAP  # after a split the data does not say how the branches go on: no arrow is drawn
        y += _step_box(c, step, y)
        if step.branches:
            n = len(step.branches)
            columns = (WIDTH - 2 - _COLUMN_GAP * (n - 1)) / n >= _MIN_COLUMN
            y += (_branch_columns if columns else _branch_rows)(c, guide, step.branches, y)
    return c.svg(y + 1, "flow")


def support_flow_figure(guide, text_at: str = "下の一覧") -> Markup:
    """text_at: where the page gives the figure's content as text (the caption says so)."""
    flow = guide.support_flow
    split = [s for s in flow.steps if s.branches]
    caption = f"図: {flow.title}（{len(flow.steps)}つの手順"
    for s in split:
        caption += f"。手順{s.number}は{len(s.branches)}つに分かれます"
    caption += f"。図の内容は、{text_at}と同じです）"
    return _figure(support_flow_svg(guide), caption, "flow")


# ----------------------------------------------------------------------------
# The programmes: the one that takes residents' first consultations first, then the programmes the
# hub carries (providers: hub) framed together under the hub's name, then the rest; each with its
# number, name and tagline. No arrows: the data holds no flow between programmes.
# ----------------------------------------------------------------------------


def _program_box(c: _Canvas, p, x: float, y: float, w: float, strong: bool = False) -> float:
    text_x = x + 2 * BADGE + 2 * PAD
    ems = (x + w - PAD - text_x) / FONT
    name = wrap(p.name, ems)
    tag = wrap(p.tagline, (x + w - PAD - text_x) / SMALL) if p.tagline else []
    th = _lines_height(len(name)) + (_lines_height(len(tag), SMALL) + 3 if tag else 0)
    h = max(th, 2 * BADGE) + 2 * PAD
    c.box(x, y, w, h, strong=strong)
    c.badge(p.number, x + PAD, y + PAD)
    ty = y + PAD
    ty += c.text(name, text_x, ty, bold=True) + 3
    if tag:
        c.text(tag, text_x, ty, size=SMALL)
    return h


def program_groups(guide) -> tuple[list, list, list]:
    """(the consultation programme, if any), (the hub's programmes), (the others), each in number order."""
    first = guide.consultation_program
    first = [first] if first else []
    taken = {p.id for p in first}
    hub = [p for p in guide.hub_programs() if p.id not in taken]
    taken |= {p.id for p in hub}
    rest = [p for p in guide.programs if p.id not in taken]
    return first, hub, rest


def programs_svg(guide) -> Markup:
    first, hub, rest = program_groups(guide)
    c = _Canvas()
    y = 1.0
    for p in first:
        y += c.text(wrap(labels.ROLE[labels.CONSULTATION], (WIDTH - 2) / SMALL), 2, y, size=SMALL) + 4
        y += _program_box(c, p, 1, y, WIDTH - 2, strong=True) + 14
    if hub:
        frame_top, frame_at = y, len(c.parts)
        title = wrap(f"{guide.hub.name}が担う事業", (WIDTH - 2 - 2 * PAD) / SMALL)
        y += PAD + c.text(title, 1 + PAD, y + PAD, size=SMALL, bold=True) + 6
        for p in hub:
            y += _program_box(c, p, 1 + PAD, y, WIDTH - 2 - 2 * PAD) + 8
        y += PAD - 8 + 2
        c.box(1, frame_top, WIDTH - 2, y - frame_top, dashed=True)
        c.parts.insert(frame_at, c.parts.pop())  # drawn under the boxes it frames
        y += 14
    for p in rest:
        y += _program_box(c, p, 1, y, WIDTH - 2) + 14
    return c.svg(y - 14 + 1, "programs")


def programs_figure(guide) -> Markup:
    first, hub, rest = program_groups(guide)
    caption = f"図: {len(guide.programs)}つの事業"
    if first:
        caption += f"。{labels.ROLE[labels.CONSULTATION]}は{first[0].name}"
    if hub:
        caption += f"。{guide.hub.name}が担う事業は{'・'.join(p.name for p in hub)}"
    caption += "（各事業の説明は、下の一覧にあります）"
    return _figure(programs_svg(guide), caption, "programs")
