"""Shared fixtures: Kamakura's Guide, and sites built by MkDocs from real data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tsunagu import load_guide

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TINY = ROOT / "tests" / "fixtures" / "tiny_city"


def mkdocs_build(data_dir: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Build the site from data_dir into site_dir, as the README says, and return the process."""
    env = {**os.environ, "TSUNAGU_DATA": str(data_dir), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def kamakura():
    return load_guide(DATA)


@pytest.fixture(scope="session")
def kamakura_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("kamakura") / "site"
    result = mkdocs_build(DATA, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("tiny") / "site"
    result = mkdocs_build(TINY, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def kamakura_server(kamakura_site):
    """The built site served on loopback, for linkchecker and the browser."""
    import functools
    import http.server
    import threading

    handler = functools.partial(_QuietHandler, directory=str(kamakura_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


import http.server  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass
