"""Real projects on disk and `blocking-io detect` run as a real process, for the CLI,
robustness, cache and --changed-since tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import jsonschema
from blocking_io.shared_rules.reports import FindingsReport, parse_report

HELPERS = """
    import os
    import time
    from pathlib import Path


    def load(path):
        return Path(path).read_text()


    def pause():
        time.sleep(0.1)


    def present(path):
        return os.path.exists(path)


    def here():
        return os.getcwd()


    def harmless(value):
        return value * 2
"""

HANDLERS = """
    import time

    from app.helpers import harmless, here, load, pause, present


    async def read_config(path):
        return load(path)


    async def slow():
        pause()


    async def check(path):
        return present(path)


    async def where():
        return here()


    async def quiet():
        time.sleep(1)  # blocking-io: ignore[BIO301] start-up only, before the server runs


    async def fine(value):
        return harmless(value)
"""

# what the default rules report for APP (BIO107, os.getcwd, is opt-in)
APP_FINDINGS = {
    ("app/handlers.py", "app.handlers.read_config", "BIO102"),  # medium
    ("app/handlers.py", "app.handlers.slow", "BIO301"),  # high
    ("app/handlers.py", "app.handlers.check", "BIO106"),  # low
}
APP = {"app/__init__.py": "", "app/helpers.py": HELPERS, "app/handlers.py": HANDLERS}

CONFIG = """
    source-roots = ["."]
    include = ["app"]
"""

SARIF_SCHEMA = json.loads(
    (resources.files("blocking_io.static_detector") / "data" / "sarif-schema-2.1.0.json").read_text(
        "utf-8"
    )
)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def make_project(
    root: Path, files: dict[str, str | bytes] | None = None, config: str = CONFIG
) -> Path:
    """`files` (default: APP) and a pyproject.toml whose [tool.blocking-io] body is `config`."""
    write(root, APP if files is None else files)
    body = textwrap.dedent(config).strip()
    (root / "pyproject.toml").write_text(f"[tool.blocking-io]\n{body}\n", encoding="utf-8")
    return root


def cli(
    *args: str | Path, cwd: Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`blocking-io ARGS` as a real process in `cwd` (never a terminal: no colour, no bar)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160", **(env or {})}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "blocking_io", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def detect(
    root: Path, *args: str | Path, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return cli("detect", *args, cwd=root, timeout=timeout, env=env)


def assert_clean_stderr(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    assert "Traceback" not in done.stdout


def report_of(root: Path, report_dir: str = ".blocking-io") -> FindingsReport:
    path = root / report_dir / "findings.json"
    return parse_report(path.read_bytes(), FindingsReport, path)


def parsed(text: str) -> FindingsReport:
    return parse_report(text, FindingsReport, "<stdout>")


def keys(report: FindingsReport, *, suppressed: bool = False) -> set[tuple[str, str, str]]:
    """(path, function, rule) of the (unsuppressed) findings."""
    return {
        (f.path, f.function, f.rule) for f in report.findings if suppressed or f.suppressed is None
    }


def errors_by_path(report: FindingsReport) -> dict[str, tuple[str, int | None]]:
    return {e.path: (e.kind, e.line) for e in report.errors}


def without_stats(text: str) -> str:
    """Report JSON minus `stats` (timing and cache counts), for byte comparisons."""
    data = json.loads(text)
    data.pop("stats")
    return json.dumps(data, indent=2, ensure_ascii=False)


def check_sarif(text: str) -> dict:
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        log
    )
    return log
