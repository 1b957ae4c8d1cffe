"""The bytes of all data files together (limits.DATA_BYTES), checked by stat before any file is parsed;
the pages the site will have are counted in site/counts.py. Pure."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from . import limits
from .errors import DataError


def data_bytes_errors(data_dir: Path, names: list[str], show: Callable[[str], str]) -> list[DataError]:
    """names: the files the loader will read, relative to data_dir; show: a name as messages show it.
    Sizes come from stat. A file that is missing, odd, outside the data folder or over one file's limit
    is left to the reader, which reports it on its own."""
    sizes: list[tuple[int, str]] = []
    root = os.path.realpath(data_dir)
    for name in names:
        if os.path.commonpath([root, os.path.realpath(data_dir / name)]) != root:
            continue  # a link out of the data folder: the reader refuses it, and its size is not shown
        try:
            info = os.stat(data_dir / name)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_size <= limits.FILE_BYTES:
            sizes.append((info.st_size, name))
    total = sum(size for size, _ in sizes)
    if total <= limits.DATA_BYTES:
        return []
    largest = "、".join(f"{show(name)}（{size:,} バイト）" for size, name in sorted(sizes, key=lambda x: (-x[0], x[1]))[:5])
    message = (f"データのファイルが合わせて {total:,} バイト（{len(sizes):,} ファイル）あり、大きすぎます"
               f"（合わせて {limits.DATA_BYTES:,} バイトまで）。大きいファイル: {largest}。"
               f"間違えて置いたファイルや、使わない質問の流れのファイルを消してください")
    return [DataError(show("."), None, "", message, "data_too_large")]
