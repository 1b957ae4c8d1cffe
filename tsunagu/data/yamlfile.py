"""Read one YAML file, keeping the line of every mapping key and list item.

Every scalar is read as a string (no YAML 1.1 surprises: 0123 stays 0123, "no" stays "no");
the models convert to numbers and dates. Anchors, aliases and merge keys work. A key given
twice in one mapping is an error, not last-wins.

Bounded before anything expands (see limits.py): the file's size is checked with stat and at most
the limit + 1 bytes are read; nesting depth, the number of aliases, keys (plain text only, short)
and explicit tags are checked while the node graph is composed; the size the aliases would expand
to is counted on the graph, where an alias is still one shared node. Only then is anything built.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from . import limits
from .errors import DataError

# ----------------------------------------------------------------------------
# Containers that remember where their parts were written
# ----------------------------------------------------------------------------


class LineDict(dict):
    """A mapping with the 1-based line of itself and of each key."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A list with the 1-based line of itself and of each item."""

    line: int = 0
    item_lines: list


# ----------------------------------------------------------------------------
# Loader: strings, nulls and merge keys only
# ----------------------------------------------------------------------------


_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_DEEP = f"入れ子が深すぎます（{limits.DEPTH} 段まで）"
_BROKEN_CHARACTER = "使えない文字（壊れた文字 \\ud800 など）が含まれています。その文字を消してください"


# libyaml's parser (C) where PyYAML has it: reading the events was four fifths of loading a large
# city's data. Composing stays in Python, below, with its checks on every event and the line of
# every node; the events and marks are the same.
try:
    from yaml.cyaml import CParser as _EVENTS
except ImportError:  # PyYAML built without libyaml
    _EVENTS = None


class _Loader(*((yaml.composer.Composer, _EVENTS, yaml.constructor.SafeConstructor, yaml.resolver.Resolver)
                if _EVENTS else (yaml.SafeLoader,))):
    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: str, file: str):
        if _EVENTS:
            _EVENTS.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
        else:
            super().__init__(stream)
        self.file = file
        self.errors: list[DataError] = []
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        """PyYAML's composer, refusing what could exhaust the machine before it is built."""
        event = self.peek_event()
        if isinstance(parent, yaml.MappingNode) and index is None and not isinstance(event, yaml.ScalarEvent):
            raise _Refused(event.start_mark, "項目名には文字だけを書いてください（一覧・まとまり・参照（*）は項目名にできません）",
                           "yaml_complex_key")
        if isinstance(parent, yaml.MappingNode) and index is None and len(event.value) > limits.KEY_CHARS:
            raise _Refused(event.start_mark, f"項目名が長すぎます（{limits.KEY_CHARS} 文字まで）", "yaml_complex_key")
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > limits.ALIASES:
                raise _Refused(event.start_mark, f"参照（*）が多すぎます（1 ファイル {limits.ALIASES} 個まで）", "yaml_too_many_aliases")
        elif isinstance(event, yaml.ScalarEvent) and _SURROGATE.search(event.value):
            # "\ud800" written as an escape: half of a character, which no file or page can hold
            raise _Refused(event.start_mark, _BROKEN_CHARACTER, "bad_character")
        elif event.tag not in (None, "!"):
            raise _Refused(event.start_mark, f"タグ（{event.tag}）は使えません。「!」で始まる書き方を消してください", "yaml_tag")
        self.depth += 1
        if self.depth > limits.DEPTH:
            raise _Refused(event.start_mark, _TOO_DEEP, "yaml_too_deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                if key in seen:
                    self.errors.append(DataError(
                        self.file, line, str(key),
                        f"同じ項目「{key}」が {seen[key]} 行目にもあります。どちらか一方にしてください",
                        "duplicate_key"))
                else:
                    seen[key] = line
            except TypeError:  # unhashable key, reported by PyYAML itself
                pass
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines.setdefault(key, key_node.start_mark.line + 1)
            if key in seen:
                result.key_lines[key] = seen[key]
        return result

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


for _first, _resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:null"):
            _Loader.add_implicit_resolver(_tag, _regexp, [_first])

_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


# ----------------------------------------------------------------------------
# Public helpers
# ----------------------------------------------------------------------------


class _Refused(Exception):
    """Input refused while composing: where, the Japanese message, the English key."""

    def __init__(self, mark, message: str, key: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark else None
        self.message = message
        self.key = key


def read_text(path: Path, shown_as: str, limit: int = limits.FILE_BYTES,
              inside: Path | None = None) -> tuple[str | None, list[DataError]]:
    """A data file's text, or one clear error for an odd file: a folder, a symlink loop, a device or
    pipe, an unreadable, too large, empty, binary or non-UTF-8 file, or (inside: the data folder) a
    link to a file outside that folder, which is never read. Never reads more than limit + 1 bytes."""
    def error(message: str, key: str) -> tuple[None, list[DataError]]:
        return None, [DataError(shown_as, None, "", message, key)]

    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return error("リンク先のファイルがありません（壊れたリンクです）", "broken_link")
        return error("必要なファイルがありません", "missing_file")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error("リンクが自分自身を指していて、ファイルにたどり着けません", "link_loop")
        return error(f"ファイルを読めません ({exc.strerror})", "unreadable")
    if stat.S_ISDIR(info.st_mode):
        return error("ファイルのはずの場所がフォルダになっています", "not_a_file")
    if not stat.S_ISREG(info.st_mode):
        return error("普通のファイルではありません（装置やパイプなど）。データのファイルを置いてください", "not_a_file")
    if inside is not None:
        # the file the path ends at, links followed; it is what is opened below
        path = os.path.realpath(path)
        if os.path.commonpath([path, os.path.realpath(inside)]) != os.path.realpath(inside):
            return error("データのフォルダの外にあるファイルへのリンクです。リンク先は読みません。"
                         "リンクを消して、ファイルそのものをデータのフォルダに置いてください", "outside_data_folder")
    if info.st_size > limit:
        return error(f"ファイルが大きすぎます（{info.st_size:,} バイト。{limit:,} バイトまで）", "file_too_large")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return error(f"ファイルを読めません ({exc.strerror})", "unreadable")
    if len(data) > limit:  # grew after stat
        return error(f"ファイルが大きすぎます（{limit:,} バイトまで）", "file_too_large")
    if not data.strip():
        return error("ファイルが空です。内容を書くか、使わないならファイルを消してください", "empty_file")
    if b"\0" in data:
        return error("文字のファイルではありません（画像などのファイルではないか確かめてください）", "binary_file")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return error("文字コードを UTF-8 にして保存してください", "not_utf8")


def read_yaml(path: Path, shown_as: str, inside: Path | None = None) -> tuple[Any, list[DataError]]:
    """Read and parse a file; return its data (None on any error that stops reading) and the errors found.
    inside: the data folder, which the file (links followed) must be in."""
    text, errors = read_text(path, shown_as, inside=inside)
    if text is None:
        return None, errors
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str) -> tuple[Any, list[DataError]]:
    """Parse YAML text within the limits; return its data (None on a syntax error) and the errors found."""
    broken = _SURROGATE.search(text)  # half a character: no UTF-8 file holds one, but text given here may
    if broken:
        return None, [DataError(shown_as, text.count("\n", 0, broken.start()) + 1, "", _BROKEN_CHARACTER, "bad_character")]
    try:
        loader = _Loader(text, shown_as)
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, shown_as, exc)]
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        refused = _expansion_error(node)
        if refused:
            raise refused
        data = loader.construct_document(node)
    except _Refused as exc:
        return None, [DataError(shown_as, exc.line, "", exc.message, exc.key)]
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, shown_as, exc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or ""
        if "invalid Unicode character escape" in problem:  # libyaml's words for "\ud800" and the like
            return None, [DataError(shown_as, line, "", _BROKEN_CHARACTER, "bad_character")]
        if "nesting depth" in problem:  # libyaml (0.2.5 on) stops deep nesting before the composer does
            return None, [DataError(shown_as, line, "", _TOO_DEEP, "yaml_too_deep")]
        slip = _keyboard_slip(text, shown_as, line)
        if slip is not None:
            return None, [slip]
        return None, [DataError(shown_as, line, "",
                                f"YAML の書き方に誤りがあります。字下げ（行頭の空白）や「:」、引用符の閉じ忘れを確認してください [{problem}]",
                                "yaml_syntax")]
    except yaml.YAMLError as exc:
        return None, [DataError(shown_as, None, "", f"YAML として読めません [{exc}]", "yaml_syntax")]
    except RecursionError:
        return None, [DataError(shown_as, None, "", "入れ子が深すぎて読めません", "yaml_too_deep")]
    finally:
        loader.dispose()
    return data, loader.errors


# Slips of a Japanese keyboard that break YAML: (pattern on one line, message, key). The parser notices
# them a line late or not at all, and says so in English; the line that has one is the line to fix.
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_SLIPS = [
    (re.compile(r"^[ \u3000]*\t"), "行頭にタブがあります。タブを消して、半角スペースで字下げしてください", "yaml_tab"),
    (re.compile(r"^[ \t]*\u3000"), "行頭に全角スペースがあります。行頭の全角スペースを半角スペースにしてください", "yaml_fullwidth_space"),
    (re.compile(r"^[ ]*-\u3000"), "「-」の後が全角スペースです。半角スペースにしてください", "yaml_fullwidth_space"),
    (re.compile(rf"^[ ]*(?:- +)?({_KEY})[ \u3000]*："), "全角の「：」を半角の「:」にしてください（「{key}: 値」のように、「:」の後は半角スペース）",
     "yaml_fullwidth_colon"),
    (re.compile(rf"^[ ]*(?:- +)?({_KEY}):\u3000"), "「{key}:」の後の全角スペースを半角スペースにしてください", "yaml_fullwidth_space"),
]


def _keyboard_slip(text: str, shown_as: str, line: int | None) -> DataError | None:
    """The error for a full-width space, a full-width colon or a tab on the line the parser failed at
    or the two before it (the nearest one), or None."""
    if line is None:
        return None
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(line - 3, 0), -1):
        for pattern, message, key in _SLIPS:
            found = pattern.match(lines[number - 1][:200])
            if found:
                name = found.group(1) if found.groups() else ""
                return DataError(shown_as, number, name, message.format(key=name), key)
    # a quoted value left open runs on to the next quote mark, where the parser fails: the line it opens on
    for number in range(min(line, len(lines)) - 1, max(line - 30, 0), -1):
        found = _OPEN_QUOTE.match(lines[number - 1][:500])
        if found and not _closes(found.group(3), found.group(4)):
            mark = found.group(3)
            return DataError(shown_as, number, found.group(2) or "",
                             f"YAML の書き方に誤りがあります。引用符「{mark}」が閉じていません。値の終わりに「{mark}」を書いてください",
                             "yaml_syntax")
    return None


_OPEN_QUOTE = re.compile(rf"^[ ]*(- +)?(?:({_KEY}): +)?([\"'])(.*)$")


def _closes(mark: str, rest: str) -> bool:
    """Whether a quoted value opened with mark closes in rest (the line after the opening mark)."""
    i = 0
    while i < len(rest):
        if mark == '"' and rest[i] == "\\":
            i += 2
            continue
        if rest[i] == mark:
            if mark == "'" and rest[i + 1:i + 2] == "'":  # '' is a quote mark inside '...'
                i += 2
                continue
            return True
        i += 1
    return False


def _expansion_error(root: yaml.Node) -> _Refused | None:
    """How many values the graph holds once every alias is expanded, counted without expanding:
    each node once, children first (iteratively). An alias that contains itself is refused too."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            if size[key] > limits.NODES:
                return _Refused(node.start_mark, f"アンカー（&）と参照（*）を広げると値が多すぎます（1 ファイル {limits.NODES:,} 個まで）",
                                "yaml_too_large")
            continue
        if key in size:
            continue
        if key in open_:
            return _Refused(node.start_mark, "参照（*）が自分自身を含むまとまりを指しています", "yaml_recursive_alias")
        open_.add(key)
        stack.append((node, True))
        for kid in _children(node):
            kid_key = id(kid)
            if kid_key in open_:
                return _Refused(kid.start_mark, "参照（*）が自分自身を含むまとまりを指しています", "yaml_recursive_alias")
            if kid_key not in size:
                stack.append((kid, False))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _bad_character(text: str, shown_as: str, exc: yaml.reader.ReaderError) -> DataError:
    if not isinstance(exc.position, int):
        line = None
    elif _EVENTS:  # libyaml reads the text as UTF-8: its position is a byte's
        line = text.encode("utf-8")[:exc.position].count(b"\n") + 1
    else:
        line = text.count("\n", 0, exc.position) + 1
    return DataError(shown_as, line, "", f"使えない文字（制御文字 U+{exc.character:04X}）が含まれています。その文字を消してください",
                     "bad_character")


def line_of(data: Any, path: tuple) -> int | None:
    """The line of the deepest part of `data` that `path` reaches."""
    line = getattr(data, "line", None)
    node = data
    for part in path:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
