"""A small generated project with one finding of every gap status, and the real tools run on it.

`build_scenario` (the `scenario` fixture: once per session) writes the project to disk, runs `blocking-io detect` and the
anchors under the runtime gate (`pytest --blocking-io-report`) as subprocesses, so the
gap report joins real reports. Tests that edit the project take `project`, a fresh copy
with the reports already in place.

What the anchors do to each finding of src/svc/handlers.py:

| function        | finding                       | anchor                       | status         |
|-----------------|-------------------------------|------------------------------|----------------|
| load_settings   | open() via storage helper     | runs it: the gate fails it   | failing        |
| reload_settings | same helper, other entry      | none                         | unguarded      |
| content_type    | mimetypes.guess_type (blind)  | runs it, passes              | runtime-blind  |
| count           | threading.Lock a writer holds | runs it uncontended, passes  | guarded        |
| cleanup         | os.remove in an `if broken:`  | runs it with broken=False    | entry-anchored |
| nap             | time.sleep                    | none                         | unguarded      |
| exists          | os.path.exists, suppressed    | none                         | (suppressed)   |

plus `double` (no finding; its anchor is idle) and `sneaky` (a getattr'd time.sleep the static
side cannot see: a violation no finding explains).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYPROJECT = """\
[tool.blocking-io]
source-roots = ["src"]
include = ["src/**/*.py"]
scanned-modules = ["svc"]
anchor-paths = ["tests/blocking_io"]
extend-select = ["BIO116"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""

STORAGE = """\
import threading


def read_settings(path):
    with open(path) as fh:
        return fh.read()


class Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hits = 0

    def incr(self) -> None:
        with self._lock:
            self.hits += 1

    def save(self, path) -> None:
        # a worker thread writes the count while holding the lock: the loop's incr can wait
        with self._lock:
            with open(path, "w") as fh:
                fh.write(str(self.hits))
"""

HANDLERS = """\
import asyncio
import mimetypes
import os
import time

from svc.storage import Counter, read_settings

mimetypes.init()


async def load_settings(path):
    return read_settings(path)


async def reload_settings(path):
    return read_settings(path)


async def content_type(name):
    kind, _encoding = mimetypes.guess_type(name)
    return kind


async def count(counter: Counter):
    counter.incr()
    return counter.hits


async def cleanup(path, *, broken=False):
    if broken:
        os.remove(path)
    return broken


async def nap():
    time.sleep(0.01)


async def double(x):
    await asyncio.sleep(0)
    return x * 2


async def sneaky():
    getattr(time, "sle" + "ep")(0.001)


async def exists(path):
    return os.path.exists(path)  # blocking-io: ignore[BIO106] checked once at start-up
"""

# A module the anchors never import: only findings.json records its hash.
UNUSED = """\
def helper():
    return 1
"""

ANCHORS = """\
from svc import handlers
from svc.storage import Counter


async def test_load_settings(tmp_path):
    path = tmp_path / "settings.txt"
    path.write_text("x")
    assert await handlers.load_settings(path) == "x"


async def test_content_type():
    assert await handlers.content_type("notes.txt") == "text/plain"


async def test_count():
    assert await handlers.count(Counter()) == 1


async def test_cleanup_keeps_the_file(tmp_path):
    assert await handlers.cleanup(tmp_path / "f") is False


async def test_double():
    assert await handlers.double(2) == 4


async def test_sneaky():
    await handlers.sneaky()
"""

# Expected status per function of handlers.py (the finding in it).
EXPECTED = {
    "svc.handlers.load_settings": "failing",
    "svc.handlers.reload_settings": "unguarded",
    "svc.handlers.content_type": "runtime-blind",
    "svc.handlers.count": "guarded",
    "svc.handlers.cleanup": "entry-anchored",
    "svc.handlers.nap": "unguarded",
}

ANCHOR = "tests/blocking_io/test_svc.py::"

# Inner runs need neither the cache nor hypothesis' plugin (slow to configure).
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def cli() -> list[str]:
    script = Path(sys.executable).parent / "blocking-io"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from blocking_io.cli.app import main; main()"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without what the outer pytest run (xdist, addopts, color) set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "COV_CORE_")) and k not in ("FORCE_COLOR", "COLUMNS")
    }
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


@dataclass
class Project:
    path: Path

    @property
    def report_dir(self) -> Path:
        return self.path / ".blocking-io"

    def write(self, rel: str, text: str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text))
        return target

    def run(
        self, *args: str, env: dict[str, str] | None = None, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            cwd=self.path,
            capture_output=True,
            text=True,
            env=env if env is not None else clean_env(),
            timeout=timeout,
            check=False,
        )

    def detect(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = self.run(*cli(), "detect", "--format", "summary", "--exit-zero", *args)
        assert done.returncode == 0, done.stderr
        return done

    def anchors(
        self, *args: str, report: str = ".blocking-io/anchors.json"
    ) -> subprocess.CompletedProcess[str]:
        done = self.run(
            sys.executable,
            "-m",
            "pytest",
            "tests/blocking_io",
            "-q",
            *QUIET,
            f"--blocking-io-report={report}",
            *args,
        )
        assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: failing anchors
        assert (self.path / report).is_file(), done.stdout + done.stderr
        return done

    def gaps(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(*cli(), "gaps", *args)

    def gaps_json(self, *args: str) -> dict[str, Any]:
        done = self.gaps("--format", "json", *args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def copy(self, target: Path) -> Project:
        shutil.copytree(self.path, target, ignore=shutil.ignore_patterns("__pycache__"))
        return Project(target)


def statuses(gaps: dict[str, Any]) -> dict[str, str]:
    """function -> status of the gaps.json findings."""
    return {f["function"]: f["status"] for f in gaps["findings"]}


def build_scenario(path: Path) -> Project:
    project = Project(path)
    project.write("pyproject.toml", PYPROJECT)
    project.write("src/svc/__init__.py", "")
    project.write("src/svc/storage.py", STORAGE)
    project.write("src/svc/handlers.py", HANDLERS)
    project.write("src/svc/unused.py", UNUSED)
    project.write("tests/blocking_io/test_svc.py", ANCHORS)
    project.detect()
    project.anchors()
    return project
