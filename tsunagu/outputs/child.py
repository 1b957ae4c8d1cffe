"""A second Python process running one function of this package, for work done beside the build
(the booklet's PDF, the offline zip). A plain `python -c`, not multiprocessing: its spawn would
run the caller's script again, and fork is unsafe in a process with threads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def start(module: str, function: str, args: list[str], **popen) -> subprocess.Popen:
    """Run tsunagu.<module>.<function>(*args) in a new process; popen: its pipes and the like.
    The package is found where this one was loaded from, installed or not."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")]))}
    code = f"import sys; from tsunagu.{module} import {function}; {function}(*sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, **popen)
