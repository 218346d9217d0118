"""The architecture the design fixes, checked on the real tree.

- Boundaries: each part is imported (every module of it) in a fresh interpreter and
  `sys.modules` is read: `shared_rules` imports no other part; the static engine and the
  runtime gate never import each other; `gap_report` imports neither detector; no engine
  imports the application layer (`blocking_io.cli`); a static scan (`blocking-io detect`, run
  as a process) loads no pytest, blockbuster or coverage.
- No import cycles between the modules of one package (function-level and TYPE_CHECKING
  imports included: a cycle there is still one concept with two homes).
- The wheel's only top-level import package is `blocking_io`, and it carries every module
  and data file of the tree.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# import package -> folder in the repository (pyproject's package-dir)
FOLDERS = {
    "blocking_io.shared_rules": REPO / "shared_rules",
    "blocking_io.static_detector": REPO / "static_detector",
    "blocking_io.runtime_gate": REPO / "runtime_gate",
    "blocking_io.gap_report": REPO / "gap_report",
    "blocking_io.cli": REPO / "blocking_io" / "cli",
}
ENGINES = ("shared_rules", "static_detector", "runtime_gate", "gap_report")
GATE_ONLY = ("pytest", "_pytest", "blockbuster", "coverage")

# part -> what importing all of it must never load
FORBIDDEN = {
    "blocking_io.shared_rules": (
        "blocking_io.static_detector", "blocking_io.runtime_gate", "blocking_io.gap_report",
        "blocking_io.cli", *GATE_ONLY,
    ),
    "blocking_io.static_detector": (
        "blocking_io.runtime_gate", "blocking_io.gap_report", "blocking_io.cli", *GATE_ONLY,
    ),
    "blocking_io.runtime_gate": (
        "blocking_io.static_detector", "blocking_io.gap_report", "blocking_io.cli",
    ),
    "blocking_io.gap_report": (
        "blocking_io.static_detector", "blocking_io.runtime_gate", "blocking_io.cli",
        *GATE_ONLY,
    ),
}  # fmt: skip


def modules_of(package: str) -> list[str]:
    folder = FOLDERS[package]
    out = []
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(folder).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        if parts and parts[-1] == "__main__":
            continue
        out.append(".".join([package, *parts]))
    return out


def loaded_by(statements: str) -> set[str]:
    """The modules a fresh interpreter holds after running `statements`."""
    code = f"{statements}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def violations(loaded: set[str], forbidden: tuple[str, ...]) -> list[str]:
    bad = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in forbidden)]
    # the engines' folder names are never import packages of their own
    bad += [m for m in loaded if m.split(".")[0] in ENGINES]
    return sorted(bad)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_part_imports_only_what_the_design_allows(package):
    imports = "\n".join(f"import {m}" for m in modules_of(package))
    assert violations(loaded_by(imports), FORBIDDEN[package]) == []


def test_the_boundary_check_fails_when_a_forbidden_import_is_added():
    # the same check, on shared_rules plus one import the design forbids it
    imports = "\n".join(f"import {m}" for m in modules_of("blocking_io.shared_rules"))
    loaded = loaded_by(imports + "\nimport blocking_io.runtime_gate.gates")
    assert "blocking_io.runtime_gate.gates" in violations(
        loaded, FORBIDDEN["blocking_io.shared_rules"]
    )


def test_a_static_scan_loads_no_pytest_blockbuster_or_coverage(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.blocking-io]\n")
    (tmp_path / "app.py").write_text("import time\n\nasync def h():\n    time.sleep(1)\n")
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "detect", "--no-cache", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # the scan ran and found the sleep
    imported = {
        line.split("|")[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "blocking_io.static_detector.scan" in imported
    assert [m for m in imported if m.split(".")[0] in GATE_ONLY] == []


# -- import cycles ------------------------------------------------------------------------


def _module_name(package: str, path: Path) -> str:
    rel = path.relative_to(FOLDERS[package]).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join([package, *parts])


def import_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (anywhere in its body)."""
    modules = set(modules_of(package))
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for path in FOLDERS[package].rglob("*.py"):
        name = _module_name(package, path)
        if name not in graph:
            continue
        is_pkg = path.name == "__init__.py"
        base = name if is_pkg else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = base.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    mod = ".".join([*anchor, *([node.module] if node.module else [])])
                else:
                    mod = node.module or ""
                # `from . import x` imports the submodule x when there is one
                targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in modules else mod
                           for a in node.names]  # fmt: skip
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target != package:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.mark.parametrize("package", sorted(FOLDERS))
def test_no_import_cycles_between_modules_of_one_package(package):
    assert cycles(import_graph(package)) == []


def test_the_cycle_check_sees_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


# -- the wheel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "src"
    # build from a copy: the build must not write into the working tree
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", ".blocking-io",
                                      "__pycache__", ".hypothesis", "bench"),
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
         str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (built,) = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_has_one_top_level_package(wheel):
    names = wheel.namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"blocking_io"}
    (top_level,) = [n for n in names if n.endswith(".dist-info/top_level.txt")] or [None]
    if top_level:
        assert wheel.read(top_level).decode().split() == ["blocking_io"]


def test_the_wheel_carries_every_module_and_data_file(wheel):
    names = set(wheel.namelist())
    expected = set()
    for package, folder in FOLDERS.items():
        prefix = package.replace(".", "/")
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.add(f"{prefix}/{path.relative_to(folder).as_posix()}")
    expected |= {"blocking_io/__init__.py", "blocking_io/__main__.py"}
    assert sorted(expected - names) == []


def test_the_wheel_declares_the_console_script_and_the_pytest_plugin(wheel):
    (entry,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    text = wheel.read(entry).decode()
    assert "blocking-io = blocking_io.cli.app:main" in text
    assert "blocking_io = blocking_io.runtime_gate.plugin" in text
