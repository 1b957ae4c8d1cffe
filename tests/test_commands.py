"""Every command README.md and the editing guide (docs/editing.md) show in their `sh` code blocks runs
as written after the README's set-up, in the order the documents give them (issue 21).

They run in a copy of the project (they write site/, data/schema/ and new data folders) whose
`.venv` is the fresh environment of tests/test_setup.py: made with nothing but pip, then the package
and its test extra installed from pyproject.toml. So `test -d .venv || python3 -m venv .venv` finds
it, and the README's `pip install -e` commands run for real, into it. A line joined by `&&` runs
command by command (a failure stops the rest of the line as it would in a shell, by failing that
command's test); a command shown twice runs once. `mkdocs serve` is started on a free port (the
documents' 8000 may be taken on a test machine), polled until it answers 200, and stopped. A
benchmark runs with its smallest arguments or `--help` (its real runs take minutes). pytest lines are
this run itself and are not run again; apt-get lines install system packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from test_setup import clean_env, fresh_venv

DOCS = ("README.md", "docs/editing.md")
BENCH_ARGS = {"fuzz_loader.py": "--cases 3"}  # every other benchmark: --help
NOT_RUN = {"pytest": "the test run is this line itself", "apt-get": "installs system packages"}
TOP_LEVEL_LEFT_OUT = {".git", ".venv", "site", "site-tiny", "build", ".pytest_cache", ".hypothesis", "offline.zip"}


@dataclass(frozen=True)
class Shown:
    where: str  # README.md:16, or README.md:16.2 for the second command of a line joined by &&
    command: str  # without a trailing comment


def shown_commands() -> list[Shown]:
    """Each command of the documents' ```sh blocks, in document order, repeats left out."""
    out: list[Shown] = []
    seen: set[str] = set()
    for doc in DOCS:
        inside = False
        for number, line in enumerate((ROOT / doc).read_text(encoding="utf-8").splitlines(), 1):
            if not inside:
                inside = line.strip() == "```sh"
                continue
            if line.strip().startswith("```"):
                inside = False
                continue
            text = re.sub(r"\s#\s.*$", "", line).strip()
            if not text or text.startswith("#"):
                continue
            parts = [part.strip() for part in text.split(" && ")]
            for i, command in enumerate(parts, 1):
                if command not in seen:
                    seen.add(command)
                    out.append(Shown(f"{doc}:{number}" + (f".{i}" if len(parts) > 1 else ""), command))
    return out


SHOWN = shown_commands()


def _program(command: str) -> str:
    """The program a command runs: its first word after any VAR=value settings."""
    words = command.split()
    while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", words[0]):
        words.pop(0)
    return words[0] if words else ""


def _ignore_top_level(folder: str, names: list[str]) -> set[str]:
    left_out = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
    if Path(folder) == ROOT:
        left_out |= {n for n in names if n in TOP_LEVEL_LEFT_OUT or n.startswith(".") and "tsunagu-" in n}
    return left_out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (without its own .venv, builds and caches) whose .venv is the fresh one."""
    fresh = fresh_venv(tmp_path_factory)
    if fresh.failure():
        pytest.fail(f"the fresh virtual environment could not be made: {fresh.failure()}", pytrace=False)
    copy = tmp_path_factory.mktemp("documented") / "tsunagu"
    shutil.copytree(ROOT, copy, ignore=_ignore_top_level, symlinks=True)
    (copy / ".venv").symlink_to(fresh.home, target_is_directory=True)
    return copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def _run(command: str, cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", "-c", command], cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=timeout)


def _ran(shown: Shown, command: str, result: subprocess.CompletedProcess) -> str:
    return f"{shown.where}: {command}\nexit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


def _serve(shown: Shown, project: Path, tmp_path: Path) -> None:
    """Start the server as shown, on a free port; it must answer 200 at / and keep running."""
    port = _free_port()
    command = f"{shown.command} -a 127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(["sh", "-c", command], cwd=project, env=clean_env(), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        end = time.monotonic() + 180
        while time.monotonic() < end and proc.poll() is None and not _answers_200(f"http://127.0.0.1:{port}/"):
            time.sleep(0.5)
        text = log.read_text(encoding="utf-8", errors="replace")
        assert proc.poll() is None, f"{shown.where}: {command}\nstopped with exit {proc.returncode}\n{text[-4000:]}"
        assert _answers_200(f"http://127.0.0.1:{port}/"), f"{shown.where}: {command}\nno 200 within 180 s\n{text[-4000:]}"
        assert "Traceback" not in text, text[-4000:]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: sh and the server
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)


def test_the_documents_show_every_kind_of_command():
    commands = [s.command for s in SHOWN]
    for kind in (".venv/bin/tsunagu check", ".venv/bin/tsunagu schema", ".venv/bin/tsunagu init",
                 ".venv/bin/tsunagu offline", ".venv/bin/mkdocs serve", ".venv/bin/mkdocs build --strict",
                 ".venv/bin/python -m pip install", ".venv/bin/python bench/"):
        assert any(kind in c for c in commands), kind
    # the plain build of the city in data/
    assert "NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict" in commands


@pytest.mark.parametrize("shown", SHOWN, ids=[s.where for s in SHOWN])
def test_documented_commands_call_the_project_venv(shown):
    """`.venv/bin/tsunagu`, `.venv/bin/mkdocs`, `.venv/bin/python`, never a bare `mkdocs`, `python3 -m
    tsunagu` or a Python outside the project's environment (only the line that makes it calls python3)."""
    program = _program(shown.command)
    if shown.command == "test -d .venv || python3 -m venv .venv":
        return
    assert program.startswith(".venv/bin/") or program in NOT_RUN, f"{shown.where}: {shown.command}"
    assert not re.search(r"-m tsunagu\b", shown.command), f"{shown.where}: use .venv/bin/tsunagu: {shown.command}"
    if program.endswith("/mkdocs"):
        assert "NO_MKDOCS_2_WARNING=1" in shown.command, f"{shown.where}: {shown.command}"


@pytest.mark.slow
@pytest.mark.setup
@pytest.mark.parametrize("shown", SHOWN, ids=[s.where for s in SHOWN])
def test_documented_command_runs(shown, project, tmp_path):
    words = shown.command.split()
    for word, reason in NOT_RUN.items():
        if word in words:
            pytest.skip(f"{shown.where}: {reason}")
    if " serve" in shown.command and "mkdocs" in _program(shown.command):
        _serve(shown, project, tmp_path)
        return
    command = shown.command
    script = re.search(r"bench/(\w+\.py)", command)
    if script:
        command = command[: script.end()] + " " + BENCH_ARGS.get(script.group(1), "--help")
    result = _run(command, project)
    assert result.returncode == 0, _ran(shown, command, result)
    assert "Traceback" not in result.stdout + result.stderr, _ran(shown, command, result)

    if " build" in command and "mkdocs" in _program(command):
        target = re.search(r"(?:-d|--site-dir)\s+(\S+)", command)
        assert (project / (target.group(1) if target else "site") / "index.html").is_file(), _ran(shown, command, result)
    zipped = re.search(r"tsunagu offline \S+ (\S+)", command)
    if zipped:
        assert (project / zipped.group(1)).is_file(), _ran(shown, command, result)
    if re.search(r"tsunagu init\b", command):
        # init's closing message names the command that checks what it wrote: that runs too
        told = re.search(r"(\.venv/bin/tsunagu check \S+?) で確かめて", result.stdout)
        assert told, _ran(shown, command, result)
        checked = _run(told.group(1), project)
        assert checked.returncode == 0, _ran(shown, told.group(1), checked)


def test_benchmarks_read_nothing_outside_the_repository():
    """A fresh clone has no ../shared/: every default input of bench/ is inside the repository."""
    for script in sorted((ROOT / "bench").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"ROOT\.parent\b|[\"']\.\./|[\"']shared[\"']", text), script.name


def test_the_readmes_error_example_is_what_check_prints(tmp_path, monkeypatch, capsys):
    """The README's example error is made for real: the number it shows mistyped is put on the line
    it names in a copy of data/, and `tsunagu check data` prints exactly the example."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = readme.split("<!-- error-example -->", 1)[1].split("```\n", 1)[1].split("\n```", 1)[0].splitlines()
    place = re.match(r'(data/[\w/]+\.yml):(\d+) .*\("([^"]+)"\)', expected[0])
    assert place, expected[0]
    rel, number, slip = place.group(1), int(place.group(2)), place.group(3)
    assert f"line {number} of `{rel}`" in readme
    shutil.copytree(DATA, tmp_path / "data")
    path = tmp_path / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    right = slip.replace("O", "0")
    assert right in lines[number - 1], f"line {number} of {rel} is {lines[number - 1]!r}, not the number the README mistypes"
    lines[number - 1] = lines[number - 1].replace(right, slip)
    path.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    from tsunagu.cli import main
    assert main(["check", "data"]) == 1
    assert capsys.readouterr().err.splitlines() == expected


# A pytest plugin, run in a second pytest that only collects: for each test that reads ../shared/ (it
# uses the shared_booklet fixture, or it or a helper of its module calls need_shared(NAME, ...)), the
# NAME of what it reads and the test's file, as JSON lines.
_SHARED_COUNTER = '''
import inspect, json, os, re
def _reads(source):
    return re.findall(r"(?<![\\w.])need_shared\\((\\w+)", source)
def _source(function):
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):  # made at run time (no file to read)
        return ""
def pytest_collection_finish(session):
    with open(os.environ["SHARED_COUNT_OUT"], "w", encoding="utf-8") as out:
        for item in session.items:
            names = ["BOOKLET"] if "shared_booklet" in getattr(item, "fixturenames", ()) else []
            function = getattr(item, "function", None)
            if function is not None and not names:
                module = inspect.getmodule(function)
                source = _source(function)
                names = _reads(source)
                for name, helper in vars(module).items():
                    if (inspect.isfunction(helper) and helper.__module__ == module.__name__
                            and helper is not function and re.search(rf"\\b{name}\\(", source)):
                        names += _reads(_source(helper))
            for name in sorted(set(names)):
                out.write(json.dumps([name, item.path.name]) + "\\n")
'''
SHARED_ROWS = {"BOOKLET": "`../shared/booklet/booklet.txt`", "HSDS": "`../shared/hsds-3.0/*.json`"}


def test_the_readme_counts_the_tests_that_need_shared(tmp_path):
    """The README's table of the tests that read ../shared/ holds each such test, counted by collecting
    the suite (which reads no file of ../shared/)."""
    (tmp_path / "shared_count.py").write_text(_SHARED_COUNTER, encoding="utf-8")
    out = tmp_path / "shared.jsonl"
    env = {**os.environ, "SHARED_COUNT_OUT": str(out),
           "PYTHONPATH": os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)}
    collected = subprocess.run([os.sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                                "-p", "shared_count", "tests"], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=600)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    counted: dict[str, dict[str, int]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        name, file = json.loads(line)
        assert name in SHARED_ROWS, f"{file} reads {name} of ../shared/, which the README's table does not list"
        counted.setdefault(name, {}).setdefault(file, 0)
        counted[name][file] += 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    total = sum(n for files in counted.values() for n in files.values())
    assert f"\n{total} tests read files kept outside the repository, in `../shared/`" in readme, total
    for name, files in counted.items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| {SHARED_ROWS[name]}"))
        stated = {f: int(n) for f, n in re.findall(r"`(test_\w+\.py)` (\d+)", row)}
        stated |= {f: int(n) for n, f in re.findall(r"(\d+) in `(test_\w+\.py)`", row)}
        assert stated == files, (row, files)
        assert f"| {sum(files.values())}" in row, (row, sum(files.values()))
