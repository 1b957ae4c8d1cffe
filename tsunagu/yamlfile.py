"""Read one YAML file, keeping the line of every mapping key and list item.

Every scalar is read as a string (no YAML 1.1 surprises: 0467 stays 0467, "no" stays "no");
the models convert to numbers and dates. Anchors, aliases and merge keys work. A key given
twice in one mapping is an error, not last-wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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


class _Loader(yaml.SafeLoader):
    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: str, file: str):
        super().__init__(stream)
        self.file = file
        self.errors: list[DataError] = []

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


def read_yaml(path: Path, shown_as: str) -> tuple[Any, list[DataError]]:
    """Parse a file; return its data (None on a syntax error) and the errors found."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [DataError(shown_as, None, "", "文字コードを UTF-8 にして保存してください", "not_utf8")]
    except OSError as exc:
        return None, [DataError(shown_as, None, "", f"ファイルを読めません ({exc.strerror})", "unreadable")]
    try:
        loader = _Loader(text, shown_as)
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, shown_as, exc)]
    try:
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, shown_as, exc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or ""
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


def _bad_character(text: str, shown_as: str, exc: yaml.reader.ReaderError) -> DataError:
    line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
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
