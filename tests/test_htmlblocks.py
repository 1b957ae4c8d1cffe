"""Raw HTML blocks set aside before Markdown (tsunagu/site/htmlblocks.py) give the same pages as
Markdown itself: the same HTML, table of contents and anchor ids, on every page of real cities
and on documents composed at random from the pieces pages are made of."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings, strategies as st
from mkdocs.config import load_config
from mkdocs.structure.pages import _RawHTMLPreprocessor
from mkdocs.utils.meta import get_data

from tsunagu.site import htmlblocks
from tsunagu.build.prepare import prepare

ROOT = Path(__file__).resolve().parent.parent
CONFIG = load_config(str(ROOT / "mkdocs.yml"))
DOCS = {p.relative_to(ROOT / "docs").as_posix(): get_data(p.read_text(encoding="utf-8"))[0]
        for p in sorted((ROOT / "docs").rglob("*.md"))}


def convert(text: str) -> tuple[str, set[str], list]:
    """As MkDocs converts a page: the site's extensions, and MkDocs' own collector of raw-HTML ids."""
    md = markdown.Markdown(extensions=CONFIG["markdown_extensions"], extension_configs=CONFIG["mdx_configs"] or {})
    raw = _RawHTMLPreprocessor()
    raw._register(md)
    return md.convert(text), raw.present_anchor_ids, md.toc_tokens


def both_ways(text: str):
    aside = htmlblocks.set_aside(text)
    html, ids, toc = convert(aside.markdown)
    return convert(text), (aside.put_back(html), ids | aside.anchor_ids(), toc), aside


@pytest.mark.parametrize("data", ["data", "tests/fixtures/second_city", "tests/fixtures/tiny_city"])
def test_every_page_of_a_city_is_the_same_with_its_blocks_set_aside(data):
    site = prepare(ROOT / data, DOCS)
    pages = {**site.generated, **site.docs}
    different, set_aside = [], 0
    for src, text in pages.items():
        plain, fast, aside = both_ways(text)
        set_aside += bool(aside.blocks)
        if plain != fast:
            different.append(src)
    assert different == []
    # not a comparison of untouched pages: nearly every page had blocks set aside
    assert set_aside >= 0.9 * len(pages)


def test_a_page_with_no_html_blocks_left_after_setting_aside_has_little_left_for_markdown():
    site = prepare(ROOT / "data", DOCS)
    text = next(t for src, t in site.generated.items() if src.startswith("agencies/") and src != "agencies/index.md")
    aside = htmlblocks.set_aside(text)
    assert "<" not in aside.markdown and len(aside.markdown) < len(text) / 3


@pytest.mark.parametrize("text", [
    "```\n\n<div>code</div>\n\n```",  # inside a code fence
    '<div markdown="1">\n\n<p>x</p>\n\n</div>',  # Markdown asked to read inside HTML
    "<p>a</p>\ntext after it",  # not a block on its own
    "<div>\n<div>a</div>",  # never closed
    "<pre>\n\n  x\n</pre>",  # whitespace that matters
    "<p>a</p> tail",
    "<!-- a comment -->\n<p>x</p>",
])
def test_uncertain_blocks_are_left_to_markdown(text):
    aside = htmlblocks.set_aside(text)
    assert aside.blocks == {} and aside.markdown == text


def test_a_missing_block_is_an_error_not_a_page_without_it():
    aside = htmlblocks.set_aside("# t\n\n<div>a</div>")
    with pytest.raises(RuntimeError):
        aside.put_back("<h1>t</h1>")


def test_a_block_left_twice_is_an_error_and_each_key_is_replaced_by_its_own_block():
    aside = htmlblocks.set_aside("<div>a</div>\n\ntext\n\n<div>b</div>")
    first, second = aside.blocks
    with pytest.raises(RuntimeError):
        aside.put_back(f"<p>{first}</p>\n<p>{first}</p>\n<p>{second}</p>")
    with pytest.raises(RuntimeError):  # one lost, the other there
        aside.put_back(f"<p>{second}</p>")
    assert aside.put_back(f"<p>{second}</p>\n<p>text</p>\n<p>{first}</p>") == "<div>b</div>\n\n<p>text</p>\n<div>a</div>"


_TEXT = st.sampled_from(["相談先", "a & b", "x_y_", "**強調**", "[link](x.md)", "`code`", "1. 一", "- 項目", "<span>s</span>"])
_HTML = st.one_of(
    st.builds(lambda t, i: f'<p class="ts-{i}">{t}</p>', _TEXT, st.integers(0, 3)),
    st.builds(lambda t: f'<div class="a">\n<div>{t}</div>\n<p>{t}</p>\n</div>', _TEXT),
    st.builds(lambda t: f'<ul>\n<li>{t}</li>\n<li><a href="x/">{t}</a></li>\n</ul>', _TEXT),
    st.builds(lambda t: f'<h2 id="h-{len(t)}">{t}</h2>\n<dl><dt>電話</dt><dd>{t}</dd></dl>', _TEXT),
    st.builds(lambda t: f'<section class="s">\n<h3>{t}</h3>\n\n<p>{t}</p>\n</section>', _TEXT),
    st.builds(lambda t: f'<script type="application/ld+json">\n{{"name": "{t}"}}\n</script>', _TEXT),
    st.just('<table>\n<tr><td>1</td></tr>\n</table>'),
    st.just('<div>\n<pre>\n  x\n</pre>\n</div>'),
    st.just('<p>a</p>\n<p>b</p>\ntrailing text'),
)
_MD = st.one_of(
    st.builds(lambda t: f"## {t}", _TEXT), st.builds(lambda t: f"### {t} {{#anchor}}", _TEXT), _TEXT,
    st.builds(lambda a, b: f"- {a}\n- {b}", _TEXT, _TEXT), st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
    st.just("    indented code"), st.just("```\n<div>x</div>\n```"),
)
_SEP = st.sampled_from(["\n", "\n\n", "\n\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_HTML, _MD), _SEP), min_size=1, max_size=8))
def test_any_mix_of_markdown_and_html_converts_the_same(parts):
    text = "".join(piece + sep for piece, sep in parts)
    plain, fast, _ = both_ways(text)
    assert fast == plain


def test_blocks_only_blank_lines_apart_share_one_key():
    """A glossary of thousands of terms is thousands of blocks: Markdown sees one paragraph per run."""
    aside = htmlblocks.set_aside("<h2 id=\"a\">a</h2>\n\n<dl><dt>x</dt><dd>y</dd></dl>\n\n\n<p>z</p>\n\ntext\n\n<p>w</p>")
    assert len(aside.blocks) == 2 and aside.markdown.count("tsunagu") == 2
    assert aside.anchor_ids() == {"a"}
