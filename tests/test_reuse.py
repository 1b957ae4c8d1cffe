"""Reuse what did not change (issue 22): a build made from the same inputs as the last one copies
the booklet's PDF and the offline zip from the cache instead of starting Chromium and the zip
process; a change in the data makes both again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, TINY, _no_browser
from tsunagu import cache, export

OLD, NEW = "03-3333-1111", "03-3999-4321"  # the first agency's phone in the fictional city, and a new one


# ----------------------------------------------------------------------------
# Builds of a copy of the fictional city, with a cache of their own and a browser that keeps a log
# ----------------------------------------------------------------------------


def _chromium() -> str:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        _no_browser("no Chromium found: apt-get install chromium fonts-noto-cjk")
    return exe


class Project:
    def __init__(self, root: Path, browser: str | None):
        self.root, self.data, self.cache, self.log = root, root / "data", root / "cache", root / "chromium.log"
        shutil.copytree(TINY, self.data)
        self.browser = root / "chromium"
        if browser:  # every start of the browser is written to the log
            self.browser.write_text(f'#!/bin/sh\necho "$@" >> "{self.log}"\nexec "{browser}" "$@"\n', encoding="utf-8")
            self.browser.chmod(0o755)
        self.log.write_text("", encoding="utf-8")

    def build(self, site: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "TSUNAGU_DATA": str(self.data), "TSUNAGU_CACHE": str(self.cache),
               "TSUNAGU_CHROMIUM": str(self.browser), "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def starts(self) -> list[str]:
        """The browser's starts since the last call."""
        lines = self.log.read_text(encoding="utf-8").splitlines()
        self.log.write_text("", encoding="utf-8")
        return lines

    def change_phone(self) -> None:
        agencies = self.data / "agencies.yml"
        text = agencies.read_text(encoding="utf-8")
        assert text.count(OLD) == 1
        agencies.write_text(text.replace(OLD, NEW), encoding="utf-8")


def _downloads(site: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and modification time of the PDF, its print page and the zip (those present)."""
    found = {}
    for rel in (export.BOOKLET_PDF, export.BOOKLET_PAGE + "index.html", export.OFFLINE_ZIP):
        if (site / rel).is_file():
            found[rel] = ((site / rel).read_bytes(), (site / rel).stat().st_mtime_ns)
    return found


def _zip_text(site: Path) -> str:
    with zipfile.ZipFile(site / export.OFFLINE_ZIP) as zf:
        return "".join(zf.read(name).decode("utf-8") for name in zf.namelist() if name.endswith(".html"))


def _pdf_text(site: Path) -> str:
    from pypdf import PdfReader
    return "".join(page.extract_text() or "" for page in PdfReader(site / export.BOOKLET_PDF).pages)


# ----------------------------------------------------------------------------
# With Chromium: the PDF and the zip
# ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_an_unchanged_build_reuses_the_pdf_and_the_zip_and_a_changed_phone_makes_both_again(tmp_path):
    project = Project(tmp_path, _chromium())
    first_site, second_site = tmp_path / "site", tmp_path / "other-site"
    project.build(first_site)
    assert any("--print-to-pdf" in line for line in project.starts())
    first = _downloads(first_site)
    assert set(first) == {export.BOOKLET_PDF, export.BOOKLET_PAGE + "index.html", export.OFFLINE_ZIP}

    # the same data into another folder: no browser, no zip process (a new zip would have a new time)
    project.build(second_site)
    assert project.starts() == []
    assert _downloads(second_site) == first
    # and into the folder of the first build, replacing it
    project.build(first_site)
    assert project.starts() == [] and _downloads(first_site) == first

    # a changed phone number: printed and zipped again, and in both
    project.change_phone()
    project.build(first_site)
    assert any("--print-to-pdf" in line for line in project.starts())
    changed = _downloads(first_site)
    assert all(changed[rel] != first[rel] for rel in first)
    assert NEW in _pdf_text(first_site) and OLD not in _pdf_text(first_site)
    assert NEW in _zip_text(first_site) and OLD not in _zip_text(first_site)
    # the cache holds one entry of each kind, the new one
    kinds = sorted(p.name.split(".")[0] for p in project.cache.iterdir() if p.name != "browser.json")
    assert kinds == ["booklet-message", "booklet-page", "pdf", "zip"]


# ----------------------------------------------------------------------------
# Without Chromium: the zip alone
# ----------------------------------------------------------------------------


@pytest.mark.slow
def test_without_chromium_the_zip_is_reused_until_the_data_changes(tmp_path):
    project = Project(tmp_path, None)  # the named browser does not exist: no PDF, the print page only
    site = tmp_path / "site"
    project.build(site)
    first = _downloads(site)
    assert export.BOOKLET_PDF not in first and export.OFFLINE_ZIP in first
    project.build(tmp_path / "other-site")
    assert _downloads(tmp_path / "other-site")[export.OFFLINE_ZIP] == first[export.OFFLINE_ZIP]
    project.change_phone()
    project.build(site)
    assert _downloads(site)[export.OFFLINE_ZIP] != first[export.OFFLINE_ZIP]
    assert NEW in _zip_text(site) and OLD not in _zip_text(site)


@pytest.mark.slow
def test_a_pdf_that_failed_is_tried_again_and_the_zip_without_it_is_not_kept(tmp_path):
    project = Project(tmp_path, None)
    project.browser.write_text(f'#!/bin/sh\necho "$@" >> "{project.log}"\n'
                               'if [ "$1" = --version ]; then echo "Chromium 1.0"; else exit 3; fi\n', encoding="utf-8")
    project.browser.chmod(0o755)
    for site in (tmp_path / "site", tmp_path / "other-site"):
        result = project.build(site)
        assert "冊子の PDF は作りませんでした" in result.stderr
        assert any("--print-to-pdf" in line for line in project.starts())
        assert export.BOOKLET_PDF not in _downloads(site)
    assert _downloads(tmp_path / "site")[export.OFFLINE_ZIP] != _downloads(tmp_path / "other-site")[export.OFFLINE_ZIP]
    assert sorted(p.name for p in project.cache.iterdir()) == ["browser.json"]


# ----------------------------------------------------------------------------
# The cache folder and the keys
# ----------------------------------------------------------------------------


def test_an_entry_is_found_by_its_key_and_one_is_kept_per_kind(tmp_path):
    store = cache.Cache(tmp_path / "cache")
    assert store.find("zip", "k1") is None  # no folder yet
    for key, text in (("k1", "one"), ("k2", "two")):
        (tmp_path / key).write_text(text, encoding="utf-8")
        store.keep("zip", key, tmp_path / key)
    assert store.find("zip", "k1") is None
    entry = store.find("zip", "k2")
    assert entry is not None and entry.read_text(encoding="utf-8") == "two"
    assert [p.name.split(".")[:2] for p in (tmp_path / "cache").iterdir()] == [["zip", "k2"]]
    target = tmp_path / "site" / "offline.zip"
    assert cache.copy(entry, target) and target.read_text(encoding="utf-8") == "two"


def test_a_damaged_entry_is_not_used_and_is_removed(tmp_path):
    store = cache.Cache(tmp_path / "cache")
    (tmp_path / "out").write_bytes(b"a whole zip")
    entry = store.keep("zip", "k", tmp_path / "out")
    os.unlink(tmp_path / "out")  # no longer linked to the output: damage the entry alone
    entry.write_bytes(b"a whole zi")
    assert store.find("zip", "k") is None and not entry.exists()


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    store = cache.Cache(tmp_path / "file" / "cache")  # a folder inside a file cannot be made
    assert store.keep("zip", "k", tmp_path / "file") is None and store.find("zip", "k") is None
    store.write_text("browser.json", "{}")


def test_the_pages_key_changes_with_a_byte_of_the_data_and_not_with_where_it_is(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(TINY, a)
    shutil.copytree(TINY, b)
    assert cache.pages_key({"data": a}) == cache.pages_key({"data": b})
    text = (b / "agencies.yml").read_text(encoding="utf-8")
    (b / "agencies.yml").write_text(text.replace(OLD, NEW), encoding="utf-8")
    assert cache.pages_key({"data": a}) != cache.pages_key({"data": b})
    assert cache.pages_key({"data": a}, "material True") != cache.pages_key({"data": a}, "material False")


def test_the_zip_key_changes_with_the_pdf_and_the_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764979200")  # 2025-12-06
    key = cache.zip_key("pages", "pdf")
    assert key == cache.zip_key("pages", "pdf") != cache.zip_key("pages", None) != cache.zip_key("pages", "pdf2")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1764979200 + 86400))
    assert cache.zip_key("pages", "pdf") != key


def test_the_browser_is_asked_its_version_once_per_file(tmp_path):
    log = tmp_path / "asked"
    fake = tmp_path / "chromium"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\necho "Chromium 1.2.3"\n', encoding="utf-8")
    fake.chmod(0o755)
    store = cache.Cache(tmp_path / "cache")
    first = cache.browser_key(str(fake), store)
    assert cache.browser_key(str(fake), store) == first
    assert log.read_text(encoding="utf-8").splitlines() == ["--version"]
    fake.write_text(fake.read_text(encoding="utf-8").replace("1.2.3", "1.2.4"), encoding="utf-8")  # upgraded
    assert cache.browser_key(str(fake), store) != first
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2
