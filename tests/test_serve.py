"""`mkdocs serve` rebuilds on data edits; a mistake shows the Japanese error and keeps the last good pages."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, TINY

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait(predicate, seconds=60):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_keeps_last_good_pages_and_shows_the_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "TSUNAGU_DATA": str(data), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/agencies/kita-madoguchi/"
    try:
        assert _wait(lambda: "北の窓口" in _get(url)), log.read_text("utf-8")
        agencies = data / "agencies.yml"
        good = agencies.read_text(encoding="utf-8")
        agencies.write_text(good.replace("name: 北の窓口", "name: 北の新窓口").replace('"03-3333-1111"', '"03-3333-11OO"'),
                            encoding="utf-8")
        assert _wait(lambda: "(invalid_phone)" in log.read_text("utf-8")), log.read_text("utf-8")
        text = log.read_text("utf-8")
        assert "電話番号の形式が正しくありません" in text and "Traceback" not in text
        page = _get(url)
        assert "北の窓口" in page  # the last good page is still served, with the error on it
        assert "データに 1 件の誤りがあります" in page and "(invalid_phone)" in page
        agencies.write_text(good.replace("name: 北の窓口", "name: 北の新窓口"), encoding="utf-8")
        assert _wait(lambda: "北の新窓口" in _get(url)), log.read_text("utf-8")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
