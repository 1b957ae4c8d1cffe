"""Command line: `python -m tsunagu check [DATA_DIR]`."""

from __future__ import annotations

import argparse
import sys

from .errors import DataErrors
from .load import load_guide

USAGE_ERROR = 2


def check(data_dir: str) -> int:
    try:
        guide = load_guide(data_dir)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"{data_dir}: 誤りはありません（事業 {len(guide.programs)}・支援会議 {len(guide.meetings)}・"
          f"相談先 {len(guide.agencies)}・事例 {len(guide.cases)}）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tsunagu", description="tsunagu のデータを扱うコマンド")
    sub = parser.add_subparsers(dest="command")
    p_check = sub.add_parser("check", help="データを検査し、誤りをすべて表示します")
    p_check.add_argument("data_dir", nargs="?", default="data", help="データのフォルダ（既定: data）")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    if args.command == "check":
        return check(args.data_dir)
    parser.print_help(sys.stderr)
    return USAGE_ERROR
