"""The package's layout shows its stages (README: Layout): data → site → outputs → build, each a
subpackage, and imports run one way: a module imports its own stage and earlier ones, never a later
one. Read from the source with ast, so a new import that turns back fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tsunagu"
STAGES = ["data", "site", "outputs", "build"]  # in the order data flows through them
TOP = {"__init__", "__main__", "cli"}  # the entry points, above every stage


def _module(path: Path, package: Path = PACKAGE) -> str:
    """tsunagu.site.render for package/site/render.py (package: the folder of the package tsunagu)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: Path = PACKAGE) -> set[str]:
    """Every tsunagu module or package the file imports, absolute (tsunagu.data.model), lazy ones too."""
    me = _module(path, package)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("tsunagu"):
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}  # `from . import x`: x may be a module
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("tsunagu")}
    return found


def stage_of(module: str) -> int | None:
    """The stage's index of a module (tsunagu.site.render: 1), None for the package's top."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 and parts[1] in STAGES else None


def backward_imports(package: Path = PACKAGE) -> list[tuple[str, str]]:
    """(module, what it imports) for every import of a later stage than the module's own."""
    wrong = []
    for path in sorted(package.rglob("*.py")):
        me = _module(path, package)
        mine = stage_of(me)
        if mine is None:
            continue
        for target in imports_of(path, package):
            theirs = stage_of(target)
            above = target == "tsunagu" or target.split(".")[1] in TOP  # the top imports every stage
            if above or theirs is not None and theirs > mine:
                wrong.append((me, target))
    return wrong


def test_every_module_is_in_a_stage():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == TOP, top - TOP
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(STAGES)
    for stage in STAGES:  # each stage's __init__ says what the stage holds, and holds no code
        text = (PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")
        tree = ast.parse(text)
        assert ast.get_docstring(tree) and len(tree.body) == 1, stage


def test_imports_run_one_way():
    assert backward_imports() == []


def test_the_check_finds_an_import_that_turns_back(tmp_path):
    """The same scan on a copy with one module of the data stage importing the site stage, lazily."""
    import shutil
    copy = tmp_path / "tsunagu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "templates", "starter"))
    model = copy / "data" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n\ndef _late():\n    from ..site import render\n",
                     encoding="utf-8")
    booklet = copy / "outputs" / "booklet.py"
    booklet.write_text(booklet.read_text(encoding="utf-8") + "\nfrom tsunagu.build.cache import Memo\n", encoding="utf-8")
    wrong = backward_imports(copy)
    assert ("tsunagu.data.model", "tsunagu.site.render") in wrong
    assert ("tsunagu.outputs.booklet", "tsunagu.build.cache") in wrong
    assert len({m for m, _ in wrong}) == 2, wrong


@pytest.mark.parametrize("stage", STAGES[:3])
def test_no_stage_before_the_build_touches_an_engine(stage):
    """MkDocs, ProperDocs and Zensical are read by the build stage alone (build/theme.py)."""
    engines = ("mkdocs", "material", "properdocs", "zensical")
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n.split(".")[0] in engines for n in names), (path.name, names)
