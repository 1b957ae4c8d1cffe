"""Make the booklet PDF's text what the page says: searchable, copyable, read right aloud.

Workaround: Chromium (Skia) writes each font's ToUnicode map from the font's own character map,
and where one glyph serves several code points it names the lowest. With Noto Sans CJK, 支 comes
out as the Kangxi radical U+2F40, 長 as the radical U+2ED1, ・ as U+2027: the PDF looks right,
but a search for 支援 finds nothing in it and a screen reader reads radicals. fix_text_map()
rewrites each ToUnicode map so that such a code point names the character the page really has
(one of the characters that may share its glyph, and only one the page holds).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# ----------------------------------------------------------------------------
# Which characters may share a glyph with a lower code point (Noto Sans/Serif CJK JP's
# character maps): each entry is the lower code point, then the characters it may stand for.
# Kangxi radicals (U+2F00-U+2FD5) not listed here map to their character by NFKC.
# ----------------------------------------------------------------------------

_SHARED = (
    "\u2003\u3000 "
    "‧・ ‵｀ ∕／ 〈〈 〉〉 ⺂乛 ⺃乚 ⺅亻 ⺇𠘨 ⺉刂 ⺋㔾 ⺍𭕄 ⺎兀兀 "
    "⺏尣 ⺐尢 ⺒巳 ⺓幺 ⺔彑 ⺖忄 ⺘扌 ⺙攵 ⺛旡 ⺞歺 ⺟母 ⺠民 ⺡氵 "
    "⺣灬 ⺤爫爫 ⺦丬 ⺨犭 ⺩𤣩 ⺫罒 ⺭礻 ⺮𥫗 ⺯糹 ⺰纟 ⺱罓 ⺳㓁 ⺹耂 "
    "⺺肀 ⺽𦥑 ⺾艹 ⺿艹 ⻀艹 ⻂衤 ⻃覀 ⻄西 ⻅见 ⻇𧢲 ⻈讠 ⻉贝 ⻊𧾷 "
    "⻋车 ⻌辶 ⻍辶 ⻐钅 ⻑長 ⻒镸 ⻓长 ⻕𨸏 ⻖阝 ⻘青 ⻙韦 ⻚页 ⻛风 "
    "⻜飞 ⻞𩙿 ⻟飠 ⻠饣 ⻡𩠐 ⻢马 ⻥鱼 ⻦鸟 ⻧卤 ⻨麦 ⻩黄 ⻪黾 ⻫斉 "
    "⻬齐 ⻭歯 ⻮齿 ⻯竜 ⻰龙 ⻲亀 ⻳龟 ⼒力力 ⼥女女 ⼬屮 ⼾戸 ⽴立立 "
    "⽼老老 ⾏行行 ⾒見見 ⾞車車 ⾠辰辰 ⾥里里 ⾦金金 ⿅鹿鹿 ⿓龍龍 "
)
ALTERNATIVES: dict[str, str] = {e[0]: e[1:] for e in _SHARED.split(" ") if len(e) > 1}


def candidates(ch: str) -> str:
    """The characters that ch, as a ToUnicode map names it, may really be."""
    alts = ALTERNATIVES.get(ch, "")
    if 0x2F00 <= ord(ch) <= 0x2FDF:
        alts = unicodedata.normalize("NFKC", ch) + alts
    return alts


# ----------------------------------------------------------------------------
# ToUnicode CMaps: read every mapping, correct it, write them back as bfchar entries
# ----------------------------------------------------------------------------

_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.DOTALL)
_RANGE = re.compile(_HEX + r"\s*" + _HEX + r"\s*(" + _HEX + r"|\[[^\]]*\])")
_PAIR = re.compile(_HEX + r"\s*" + _HEX)
_BLOCKS = re.compile(r"\d+\s+begin(bfchar|bfrange).*?end(bfchar|bfrange)\s*", re.DOTALL)


def _text(hex_: str) -> str:
    return bytes.fromhex(hex_).decode("utf-16-be", errors="replace")


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _mappings(cmap: str) -> dict[str, str]:
    """source code (hex, as written) -> text, from every bfchar and bfrange block."""
    out: dict[str, str] = {}
    for block in _BFCHAR.findall(cmap):
        for src, dst in _PAIR.findall(block):
            out[src] = _text(dst)
    for block in _BFRANGE.findall(cmap):
        for m in _RANGE.finditer(block):
            lo, hi, dst = m.group(1), m.group(2), m.group(3)
            width, start, end = len(lo), int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for i, item in enumerate(re.findall(_HEX, dst)):
                    out[f"{start + i:0{width}X}"] = _text(item)
            else:
                base = _text(dst[1:-1])
                for i in range(end - start + 1):
                    out[f"{start + i:0{width}X}"] = base[:-1] + chr(ord(base[-1]) + i)
    return out


def fix_text_map(cmap: str, page_chars: set[str]) -> str | None:
    """The CMap with each shared-glyph code point the page does not use named as the character
    the page does use; None when nothing needs to change."""
    mappings = _mappings(cmap)
    changed = False
    for src, text in mappings.items():
        if len(text) != 1 or text in page_chars:
            continue
        real = [c for c in candidates(text) if c in page_chars]
        if real:
            mappings[src], changed = real[0], True
    if not changed:
        return None
    entries = [f"<{src}> <{_hex(text)}>" for src, text in mappings.items()]
    blocks = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                     for chunk in (entries[i:i + 100] for i in range(0, len(entries), 100)))
    first = _BLOCKS.search(cmap)
    head = cmap[: first.start()] if first else cmap
    tail = cmap[[m.end() for m in _BLOCKS.finditer(cmap)][-1]:] if first else ""
    return head + blocks + tail


def _fonts(resources, seen: set[int]):
    """Every font of a resource dictionary and of the form XObjects inside it."""
    if not resources:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        obj = xobject.get_object()
        if obj.get("/Subtype") == "/Form" and id(obj) not in seen:
            seen.add(id(obj))
            yield from _fonts(obj.get("/Resources"), seen)


def fix_pdf(path: Path, page_text: str) -> int:
    """Rewrite the PDF at path in place; returns how many text maps were corrected."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    chars, done, fixed = set(page_text), set(), 0
    for page in writer.pages:
        for font in _fonts(page.get("/Resources"), set()):
            ref = font.get("/ToUnicode")
            if ref is None:
                continue
            stream = ref.get_object()
            if id(stream) in done:
                continue
            done.add(id(stream))
            new = fix_text_map(stream.get_data().decode("latin-1"), chars)
            if new is not None:
                stream.set_data(new.encode("latin-1"))
                fixed += 1
    if fixed:
        partial = Path(path).with_name(Path(path).name + ".fix")
        with open(partial, "wb") as out:
            writer.write(out)
        partial.replace(path)
    return fixed
