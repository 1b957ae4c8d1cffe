"""Every limit on the data, in one place: what a data folder may hold before the loader refuses it.

Each limit is far above what a real city needs (the first city's largest file is under 20 KB, its longest
text about 200 characters, its largest flow a few dozen pages) and far below what would exhaust
the machine. The editing guide (docs/editing.md) and the README state the same numbers; a test
keeps them in step.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic_core import PydanticCustomError

# ----------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------

FILE_BYTES = 1_000_000  # one data file, checked with stat before reading; at most this + 1 bytes are read
DEPTH = 40  # nesting of lists and mappings in one file
NODES = 200_000  # values in one file once anchors and aliases are expanded
ALIASES = 1_000  # aliases (*name) in one file

# ----------------------------------------------------------------------------
# Strings, by kind of field
# ----------------------------------------------------------------------------

TEXT_CHARS = 2_000  # names, titles, sentences, paragraphs
SLUG_CHARS = 64  # ids
URL_CHARS = 500
EMAIL_CHARS = 254  # RFC 5321
PHONE_CHARS = 30
DATE_CHARS = 20
KEY_CHARS = 100  # a mapping key ("name:")

# ----------------------------------------------------------------------------
# Flows and pages
# ----------------------------------------------------------------------------

FLOW_PAGES = 500  # pages one question flow generates (a page per path prefix)
URL_PATH_CHARS = 1_000  # the longest generated page path, well inside PATH_MAX (4096) with the site folder

# ----------------------------------------------------------------------------
# The whole site (data/sizes.py: the bytes; site/counts.py: the pages), checked before any page is made
# ----------------------------------------------------------------------------

# The first city has 180 generated pages and 127 KB of data; the 100x copy of bench/scale_benchmark.py
# has 2,675 generated pages and 1.7 MB (15 s, 152 MB peak memory, an 86 MB site). Without these limits
# 40 flow files of 2.8 KB built 18,752 pages (447 MB), and nothing stopped a thousand flow files.
SITE_PAGES = 5_000  # generated pages in all (entity pages, every flow's pages and overviews): 28x the first city
DATA_BYTES = 10_000_000  # all data files together, by stat before any is parsed: 80x the first city;
#                          loading costs about 20 MB of memory per MB of YAML, so this stays near 200 MB
ANSWERS_SHOWN = 10  # answers so far listed on a flow page (and per path on its overview): the last ones,
#                     earlier ones summed up with a link to the start. The first city's longest path has 4
#                     answers; a 200-question chain repeated every earlier answer on every page (a 206 MB
#                     site from a 976 KB file; 35 MB with this limit), this keeps a page, and so the site,
#                     linear in the flow.
# Together: a flow page holds its question and at most 10 answers (each question's text twice, 2,000
# characters at most), so the largest site these limits allow is about 5,000 x 150 KB, under 1 GB, built
# in about 5 GB of memory (measured: 231 MB peak for 201 such pages), well inside a 24 GB machine; the
# first city uses under 4 % of the page and byte totals.

# Shown in the editing guide: (what, limit) in plain Japanese
SUMMARY: list[tuple[str, str]] = [
    ("1 つのデータファイルの大きさ", f"{FILE_BYTES:,} バイト（約 1 MB）まで"),
    ("字下げ（入れ子）の深さ", f"{DEPTH} 段まで"),
    ("アンカー（&）を参照（*）で広げたあとの値の数", f"1 ファイル {NODES:,} 個まで"),
    ("参照（*）の数", f"1 ファイル {ALIASES:,} 個まで"),
    ("文（名前・見出し・説明・段落）の長さ", f"{TEXT_CHARS:,} 文字まで"),
    ("id の長さ", f"{SLUG_CHARS} 文字まで"),
    ("URL の長さ", f"{URL_CHARS} 文字まで"),
    ("メールアドレスの長さ", f"{EMAIL_CHARS} 文字まで"),
    ("質問の流れ 1 つが作るページの数", f"{FLOW_PAGES} ページまで"),
    ("質問の流れのページの URL の長さ", f"{URL_PATH_CHARS:,} 文字まで"),
    ("サイト全体で作るページの数（相談先・事業・質問の流れなどのページの合計）", f"{SITE_PAGES:,} ページまで"),
    ("データのファイル全体の大きさ", f"合わせて {DATA_BYTES:,} バイト（約 10 MB）まで"),
    ("質問の流れのページに並べる「これまでの回答」", f"直近の {ANSWERS_SHOWN} 件まで（それより前の回答は件数だけを示します。誤りにはなりません）"),
]


def bounded(max_chars: int) -> Callable[[object], object]:
    """A pydantic before-validator refusing a string longer than max_chars before anything parses it."""
    def check(value: object) -> object:
        if isinstance(value, str) and len(value) > max_chars:
            raise PydanticCustomError("string_too_long", "長すぎます（{max_length} 文字まで）", {"max_length": max_chars})
        return value
    return check
