"""Every link of the built site resolves (linkchecker over the served site)."""

from __future__ import annotations

import subprocess

import pytest

from conftest import LINKCHECKER_RC, tool

pytestmark = pytest.mark.slow


def test_linkchecker_finds_no_broken_link(kamakura_server):
    exe = tool("linkchecker")
    assert exe, "linkchecker is a test dependency: pip install -e '.[test]'"
    result = subprocess.run([exe, "-f", str(LINKCHECKER_RC), "--no-status", "--no-warnings", "--threads", "4", kamakura_server],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 errors found" in result.stdout
