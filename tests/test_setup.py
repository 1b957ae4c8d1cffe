"""A fresh machine: a new virtual environment with nothing but pip gets everything the tests and the
site need from pyproject.toml alone (a green run on a machine with extra packages proves little).

The environment is made once per test run (`fresh_venv`) and shared with tests/test_commands.py,
which runs every documented command with it."""

from __future__ import annotations

import os
import re
import subprocess
import venv
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.setup]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no Python, virtual-environment or pip settings of this run,
    no user site-packages, no data folder or recording named for the tests."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_")) and k not in ("TSUNAGU_DATA", "TSUNAGU_RECORD_A11Y")}
    return {**env, "PYTHONNOUSERSITE": "1", **extra}


def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900,
                          env=clean_env(NO_MKDOCS_2_WARNING="1"), **kw)


def output(result: subprocess.CompletedProcess, limit: int = 4000) -> str:
    return f"exit {result.returncode}\n{result.stdout[-limit:]}\n{result.stderr[-limit:]}"


@dataclass
class FreshVenv:
    home: Path  # the environment's folder; its executables are in home / "bin"
    site: Path  # where the build with the main dependencies alone went
    listed: str = ""  # `pip list` right after it was made
    steps: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)  # in order; stops at a failure

    @property
    def bin(self) -> Path:
        return self.home / "bin"

    def failure(self) -> str | None:
        """The first step that failed, with its output; None when every step passed."""
        for name, result in self.steps.items():
            if result.returncode != 0:
                return f"{name}: {output(result)}"
        return None


_FRESH: dict[str, FreshVenv] = {}


def fresh_venv(tmp_path_factory) -> FreshVenv:
    """One virtual environment per test run, as on a fresh machine: made with nothing but pip, then the
    package installed with its main dependencies alone (the staff command and a build are run with
    only those), then with the test extra, as the README's test line installs it."""
    if "venv" in _FRESH:
        return _FRESH["venv"]
    tmp = tmp_path_factory.mktemp("fresh-venv")
    home = tmp / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(home)
    made = FreshVenv(home=home, site=tmp / "site")
    python = home / "bin" / "python"
    # Nothing but pip (newer Pythons no longer put setuptools there).
    _run([python, "-m", "pip", "uninstall", "-y", "-q", "setuptools", "wheel"])
    made.listed = _run([python, "-m", "pip", "list", "--format=freeze"]).stdout
    steps = [
        ("install", [python, "-m", "pip", "install", "-q", ROOT], {}),
        ("check", [home / "bin" / "tsunagu", "check", "data"], {"cwd": ROOT}),
        ("build", [home / "bin" / "mkdocs", "build", "--strict", "-q", "-d", made.site], {"cwd": ROOT}),
        ("install test extra", [python, "-m", "pip", "install", "-q", f"{ROOT}[test]"], {}),
    ]
    for name, args, kw in steps:
        made.steps[name] = _run(args, **kw)
        if made.steps[name].returncode != 0:
            break
    _FRESH["venv"] = made
    return made


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> FreshVenv:
    return fresh_venv(tmp_path_factory)


def test_a_venv_with_only_pip_gets_what_the_site_and_the_tests_need(fresh):
    assert {line.split("==")[0].lower() for line in fresh.listed.split()} == {"pip"}, fresh.listed
    # The main dependencies alone install the `tsunagu` command, run it and build the site; the test
    # extra adds everything every test module imports.
    assert fresh.failure() is None, fresh.failure()
    assert list(fresh.steps) == ["install", "check", "build", "install test extra"]
    assert (fresh.site / "index.html").exists()
    collected = _run([fresh.bin / "python", "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"], cwd=ROOT)
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
