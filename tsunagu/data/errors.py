"""Data errors: what went wrong, where (file, line, field), in Japanese with an English key."""

from __future__ import annotations

from dataclasses import dataclass

from .chars import one_line


# Errors at a place that names an id of something defined elsewhere
REFERENCE_KEYS = frozenset({"unknown_id"})


@dataclass(frozen=True)
class DataError:
    file: str
    line: int | None
    field: str
    message: str  # Japanese, for the city staff who edit the data
    key: str  # English error key, stable, for search and tests

    def format(self) -> str:
        # one error, one line, whatever a file's name, a key or a quoted value holds (a newline, a
        # bidirectional override): escaped here, where every error is shown (terminal and serve's banner)
        file, field, message = one_line(self.file), one_line(self.field), one_line(self.message)
        where = file if self.line is None else f"{file}:{self.line}"
        field = f" {field}" if field else ""
        return f"{where}{field}: {message} ({self.key})"


class DataErrors(Exception):
    """Every error found in a data folder, reported together."""

    def __init__(self, errors: list[DataError]):
        # A reference to an id that cannot be found comes after every other error: the error at a
        # definition (a missing or duplicate id, a file that cannot be read) is the cause to fix first.
        self.errors = sorted(errors, key=lambda e: (e.key in REFERENCE_KEYS, e.file, e.line or 0, e.field, e.key, e.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [e.format() for e in self.errors]
        lines.append(f"データに {len(self.errors)} 件の誤りがあります。")
        return "\n".join(lines)


# What a build that stopped says of the site folder (the command line, the hook, the engines)
NOT_BUILT = "サイトは作成していません（前に作ったサイトがあれば、そのままです）。"
NOT_PUBLISHED = "サイトは公開していません（前に作ったサイトがあれば、そのままです）。"
