"""What following calls into installed libraries costs, and what it finds.

The libraries of the knowledge base (shared_rules/data/kb/libraries.toml, pinned) are
installed with `pip install --no-deps` into a venv of the work dir, and a generated project
calls each blocking public API the knowledge base lists (up to `PER_LIBRARY` per library)
from an async function of its own. The project is scanned:

- without following (`dependency-depth = 0`): the baseline;
- cold: empty user cache (library summaries) and no project cache;
- libraries cached: another project's scan already summarised the libraries (the user
  cache is warm, the project's own cache empty);
- warm: an unchanged re-run;
- knowledge base: the same project against an empty venv (the libraries are not installed,
  so the knowledge base stands in for them).

`found` counts the async functions with a finding: what the installed source (or the
knowledge base) shows of the APIs the knowledge base says block.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from blocking_io.shared_rules.registry import DATA
from blocking_io.shared_rules.reports import FindingsReport

from .detector import detector_command
from .measure import median, run_measured

PER_LIBRARY = 8


@dataclass
class DepRun:
    label: str
    seconds: float | None
    found: int = 0
    summarized: int = 0
    cached: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _pins() -> list[str]:
    from blocking_io.shared_rules import tomlio

    data = tomlio.load(DATA / "kb" / "libraries.toml")
    return [f"{lib['distribution']}=={lib['version']}" for lib in data["library"]]


def _venv(where: Path, pins: list[str]) -> Path:
    """A venv without pip; the running pip installs into it (`pip --python`)."""
    python = where / "bin" / "python"
    marker = where / "installed.txt"
    if marker.is_file() and marker.read_text() == "\n".join(pins):
        return python
    shutil.rmtree(where, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    if pins:
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
             "--no-deps", "--disable-pip-version-check", *pins],
            check=True,
        )  # fmt: skip
    marker.write_text("\n".join(pins))
    return python


def _call(api: str, index: int, classes: set[str]) -> list[str]:
    """An async function that calls `api` (a function, a class: its constructor, or a
    method: on a parameter annotated with its class, so the constructor is not called)."""
    owner, _, name = api.rpartition(".")
    if owner in classes or (owner and owner.rpartition(".")[2][:1].isupper()):
        module, _, cls = owner.rpartition(".")
        return [
            f"from {module} import {cls} as C{index}",
            "",
            "",
            f"async def api_{index}(obj: C{index}):",
            f"    return obj.{name}()",
        ]
    return [f"import {owner}", "", "", f"async def api_{index}():", f"    return {api}()"]


def write_project(root: Path) -> int:
    """The generated project; returns how many APIs it calls."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    count = 0
    for path in sorted((DATA / "kb").glob("*.json")):
        apis = json.loads(path.read_text())["apis"]
        classes = {a for a in apis if a.rpartition(".")[2][:1].isupper()}
        for api in sorted(apis)[:PER_LIBRARY]:
            lines = _call(api, count, classes)
            (root / "app" / f"api_{count}.py").write_text("\n".join(lines) + "\n")
            count += 1
    return count


def configure(root: Path, depth: int | None) -> None:
    body = 'include = ["app"]\nmin-impact = "script"\n'
    if depth is not None:
        body += f"dependency-depth = {depth}\n"
    (root / "pyproject.toml").write_text(f"[tool.blocking-io]\n{body}")


def _scan(label: str, root: Path, python: Path, user_cache: Path, timeout: float) -> DepRun:
    command = [*detector_command(), "detect", "--python", str(python), "--format", "json"]
    command += ["--exit-zero"]
    env = {**_environ(), "BLOCKING_IO_CACHE_DIR": str(user_cache)}
    outcome = run_measured(command, cwd=root, timeout=timeout, env=env)
    if outcome.error or outcome.returncode != 0:
        return DepRun(label, None, error=outcome.error or outcome.stderr.strip()[-200:])
    report = FindingsReport.model_validate_json(outcome.stdout)
    env_stats = report.stats.environment
    return DepRun(
        label,
        outcome.seconds,
        found=len({f.function for f in report.findings if f.suppressed is None}),
        summarized=env_stats.libraries_summarized if env_stats else 0,
        cached=env_stats.libraries_cached if env_stats else 0,
    )


def _environ() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}


def measure_dependencies(work: Path, runs: int, timeout: float) -> tuple[int, list[DepRun]]:
    base = work / "dependencies"
    base.mkdir(parents=True, exist_ok=True)
    python = _venv(base / "venv", _pins())
    bare = _venv(base / "venv-empty", [])
    root = base / "project"
    apis = write_project(root)
    user_cache = base / "user-cache"

    def fresh() -> None:
        shutil.rmtree(root / ".blocking-io", ignore_errors=True)

    def timed(label: str, before: object, interpreter: Path = python) -> DepRun:
        results: list[DepRun] = []
        for _ in range(runs):
            before()  # type: ignore[operator]
            results.append(_scan(label, root, interpreter, user_cache, timeout))
        ok = [r for r in results if r.seconds is not None]
        if not ok:
            return results[-1]
        best = ok[-1]
        best.seconds = median([r.seconds for r in ok if r.seconds is not None])
        return best

    def cold() -> None:
        fresh()
        shutil.rmtree(user_cache, ignore_errors=True)

    out: list[DepRun] = []
    configure(root, 0)
    out.append(timed("not followed (dependency-depth = 0)", cold))
    configure(root, None)
    out.append(timed("cold (no cache)", cold))
    out.append(timed("libraries in the user cache", fresh))
    out.append(timed("warm (unchanged re-run)", lambda: None))
    out.append(timed("knowledge base (not installed)", cold, bare))
    return apis, out
