"""Raw HTML blocks set aside before Markdown and put back after it.

Generated pages are mostly HTML blocks between Markdown headings. Python-Markdown passes such a
block through unchanged, but finds it by running an HTML parser over the whole page, twice
(md_in_html, and MkDocs' collector of anchor ids): most of the Markdown time of a generated page.
A block that certainly passes through unchanged is replaced by a one-word paragraph before
Markdown and put back in its place after it; anything less certain is left to Markdown.
tests/test_htmlblocks.py converts every page of real sites both ways and requires the same HTML.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# Block-level elements a page starts a raw HTML block with (Python-Markdown's own list, less the
# ones it treats specially: pre, textarea, style, math, raw-text handling of script is fine).
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main nav noscript ol p section table ul script".split())
_OPEN = re.compile(r"<([a-z][a-z0-9]*)\b")
_ID = re.compile(r"""<[a-zA-Z][^>]*?\s(?:id|name)=["']([^"']*)["']""")
# A key set_aside() left in the page, as Markdown writes it: a paragraph of its own
_KEY_PARAGRAPH = re.compile(r"<p>(tsunagu[0-9a-f]+block[0-9]+)</p>")


@dataclass(frozen=True)
class SetAside:
    markdown: str  # the page's Markdown, each block replaced by its key on a line of its own
    blocks: dict[str, str]  # key -> the block's HTML

    def put_back(self, html: str) -> str:
        """The converted page with every block in its place, in one pass over the page. A key
        Markdown did not leave as its own paragraph, or left twice, is a bug here: it raises
        rather than publish a page without its content."""
        if not self.blocks:
            return html.strip()
        seen: set[str] = set()

        def block(match: re.Match) -> str:
            key = match.group(1)
            if key not in self.blocks:
                return match.group(0)
            if key in seen:
                raise RuntimeError(f"HTML block {key} was left twice by Markdown")
            seen.add(key)
            return self.blocks[key] + "\n"  # as Python-Markdown writes a raw block

        html = _KEY_PARAGRAPH.sub(block, html)
        if len(seen) != len(self.blocks):
            lost = next(key for key in self.blocks if key not in seen)
            raise RuntimeError(f"HTML block {lost} was not kept by Markdown")
        return html.strip()  # as Markdown.convert() returns it

    def anchor_ids(self) -> set[str]:
        """The ids (and <a name>s) in the blocks set aside, which MkDocs no longer sees."""
        return {m.group(1) for block in self.blocks.values() for m in _ID.finditer(block)}


def _block_end(lines: list[str], start: int) -> int | None:
    """The index of the last line of the raw block that starts on lines[start]: one element, or
    several each starting on the line after the last one ended, up to a blank line. None where it
    is not certainly a block Markdown passes through as it is."""
    i = start
    while True:
        match = _OPEN.match(lines[i])
        if not match or match.group(1) not in _BLOCK_TAGS:
            return None
        tag = match.group(1)
        open_tag, close_tag = re.compile(rf"<{tag}\b"), re.compile(rf"</{tag}\s*>")
        depth = 0
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line) or "<pre" in line or "<textarea" in line or "<!--" in line:
                return None
            if tag == "script":
                depth = 0 if "</script>" in line else 1
            else:
                depth += len(open_tag.findall(line)) - len(close_tag.findall(line))
            if depth <= 0:
                break
            i += 1
        else:
            return None
        if depth < 0 or not lines[i].rstrip().endswith(f"</{tag}>"):
            return None
        if i + 1 == len(lines) or not lines[i + 1].strip():
            return i
        i += 1  # the next line must open the next element of the same block


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def set_aside(markdown: str) -> SetAside:
    """The page with its certain raw HTML blocks set aside. A page that asks Markdown to read
    inside HTML (md_in_html's `markdown` attribute) is left whole; so are code blocks."""
    if "markdown=" in markdown:
        return SetAside(markdown, {})
    lines = markdown.split("\n")
    nonce = secrets.token_hex(6)
    out: list[str] = []
    parts: dict[str, list[str]] = {}  # key -> the blocks it stands for
    fence = ""
    last: int | None = None  # where in out the last key is
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1).startswith(fence)):
            fence = "" if fence else opened.group(1)
        end = None
        if not fence and line.startswith("<") and (i == 0 or not lines[i - 1].strip()):
            end = _block_end(lines, i)
        if end is None:
            out.append(line)
            i += 1
            continue
        block = "\n".join(lines[i:end + 1])
        if last is not None and not any(x.strip() for x in out[last + 1:]):
            # only blank lines since the last block: one key for both (Markdown would write them
            # one after the other, a blank line apart), so a page of thousands of blocks leaves
            # Markdown a few paragraphs instead of thousands
            parts[out[last]].append(block)
            del out[last + 1:]
        else:
            key = f"tsunagu{nonce}block{len(parts)}"  # as _KEY_PARAGRAPH reads it
            parts[key] = [block]
            out.append(key)
            last = len(out) - 1
        i = end + 1
    return SetAside("\n".join(out), {key: "\n\n".join(run) for key, run in parts.items()})
