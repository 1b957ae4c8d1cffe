"""A fresh machine: a new virtual environment with nothing but pip gets everything the tests and the
site need from pyproject.toml alone (a green run on a machine with extra packages proves little)."""

from __future__ import annotations

import os
import re
import subprocess
import venv

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.setup]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    return {**env, "PYTHONNOUSERSITE": "1", "NO_MKDOCS_2_WARNING": "1", **extra}


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=900, env=_clean_env(), **kw)


def test_a_venv_with_only_pip_gets_what_the_site_and_the_tests_need(tmp_path):
    home = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(home)
    python, mkdocs = home / "bin" / "python", home / "bin" / "mkdocs"
    # Nothing but pip (newer Pythons no longer put setuptools there).
    _run([str(python), "-m", "pip", "uninstall", "-y", "-q", "setuptools", "wheel"])
    listed = _run([str(python), "-m", "pip", "list", "--format=freeze"]).stdout
    assert {line.split("==")[0].lower() for line in listed.split()} == {"pip"}, listed

    # The main dependencies alone run the staff commands and build the site.
    result = _run([str(python), "-m", "pip", "install", "-q", str(ROOT)])
    assert result.returncode == 0, result.stdout + result.stderr
    check = _run([str(python), "-m", "tsunagu", "check", "data"], cwd=ROOT)
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run([str(mkdocs), "build", "--strict", "-q", "-d", str(tmp_path / "site")], cwd=ROOT)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (tmp_path / "site" / "index.html").exists()

    # The test extra adds everything every test module imports.
    result = _run([str(python), "-m", "pip", "install", "-q", f"{ROOT}[test]"])
    assert result.returncode == 0, result.stdout + result.stderr
    collected = _run([str(python), "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], cwd=ROOT)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    found = re.search(r"(\d+) tests? collected", collected.stdout)
    assert found and int(found.group(1)) > 100, collected.stdout[-2000:]


def test_the_readme_commands_create_and_use_a_project_venv():
    """Both command lines make (or reuse) .venv and install into it: Debian's python3 refuses
    `pip install` outside a virtual environment (PEP 668)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fenced = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    serve = next(c for c in fenced if "mkdocs serve" in c)
    test = readme.split("<!-- test-command", 1)[1].split("```sh\n", 1)[1].split("\n", 1)[0]
    for line in (serve, test):
        assert "\n" not in line.strip()
        assert "python3 -m venv .venv" in line, line
        assert ".venv/bin/python -m pip install" in line, line
        assert "NO_MKDOCS_2_WARNING=1" in line, line
    assert '".[test]"' in test and ".venv/bin/python -m pytest" in test
