"""Small helpers shared by tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import TINY


def copy_tiny_with(tmp_path: Path, name: str, text: str) -> Path:
    """A copy of the fictional city with one file written anew."""
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / name).write_text(text, encoding="utf-8")
    return data
