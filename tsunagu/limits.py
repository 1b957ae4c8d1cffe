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
]


def bounded(max_chars: int) -> Callable[[object], object]:
    """A pydantic before-validator refusing a string longer than max_chars before anything parses it."""
    def check(value: object) -> object:
        if isinstance(value, str) and len(value) > max_chars:
            raise PydanticCustomError("string_too_long", "長すぎます（{max_length} 文字まで）", {"max_length": max_chars})
        return value
    return check
