"""Agent tools are local executables; the relay runs them as subprocesses.

A tool reads its arguments as JSON on stdin and writes its result on stdout. The manifest
(``tools.json``) lists them::

    {"tools": [{"name": "word-count", "argv": ["/usr/bin/python3", "wc.py"],
                "timeout": 10, "version_argv": ["/usr/bin/python3", "wc.py", "--version"]}]}
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..metrics import Metrics

DEFAULT_TIMEOUT = 30.0
MAX_OUTPUT = 1024 * 1024


class ToolManifestError(ValueError):
    """tools.json is missing fields or has the wrong types."""


@dataclass(frozen=True)
class ToolSpec:
    name: str
    argv: tuple[str, ...]
    timeout: float = DEFAULT_TIMEOUT
    version_argv: tuple[str, ...] = ()
    description: str = ""

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ToolSpec:
        try:
            name = str(raw["name"])
            argv = tuple(str(part) for part in raw["argv"])
        except (KeyError, TypeError) as exc:
            raise ToolManifestError(f"tool entry {raw!r} needs 'name' and 'argv'") from exc
        if not argv:
            raise ToolManifestError(f"tool {name!r}: empty argv")
        return cls(
            name=name,
            argv=argv,
            timeout=float(raw.get("timeout", DEFAULT_TIMEOUT)),
            version_argv=tuple(str(part) for part in raw.get("version_argv", ())),
            description=str(raw.get("description", "")),
        )


@dataclass(frozen=True)
class ToolResult:
    tool: str
    exit_code: int
    stdout: str
    stderr: str
    duration: float
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration": round(self.duration, 3),
            "timed_out": self.timed_out,
        }


class ToolRegistry:
    """The tools from the manifest, in memory (loaded once at start-up)."""

    def __init__(self, specs: list[ToolSpec] | None = None) -> None:
        self._specs = {spec.name: spec for spec in specs or []}

    @classmethod
    def from_file(cls, path: Path) -> ToolRegistry:
        if not path.is_file():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw.get("tools") if isinstance(raw, dict) else None
        if not isinstance(entries, list):
            raise ToolManifestError(f"{path}: expected an object with a 'tools' list")
        return cls([ToolSpec.from_dict(entry) for entry in entries])

    def exists(self, name: str) -> bool:
        return name in self._specs

    def get(self, name: str) -> ToolSpec:
        return self._specs[name]

    def all(self) -> list[ToolSpec]:
        return [self._specs[name] for name in sorted(self._specs)]


class ToolRunner:
    """Runs tools with ``subprocess`` (blocking: call from a worker thread)."""

    def __init__(
        self, workdir: Path, metrics: Metrics | None = None, *, env: dict[str, str] | None = None
    ) -> None:
        self.workdir = workdir
        self.metrics = metrics
        self.env = env

    def run(self, spec: ToolSpec, arguments: dict[str, Any]) -> ToolResult:
        result = self._run(spec, arguments)
        if self.metrics is not None:
            self.metrics.record_run(spec.name, result.duration)
        return result

    def _run(self, spec: ToolSpec, arguments: dict[str, Any]) -> ToolResult:
        started = time.monotonic()
        try:
            completed = subprocess.run(
                list(spec.argv),
                input=json.dumps(arguments),
                capture_output=True,
                text=True,
                timeout=spec.timeout,
                cwd=self.workdir,
                env=self._environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            return ToolResult(
                spec.name,
                exit_code=-1,
                stdout=_truncate(exc.stdout),
                stderr=_truncate(exc.stderr),
                duration=time.monotonic() - started,
                timed_out=True,
            )
        return ToolResult(
            spec.name,
            exit_code=completed.returncode,
            stdout=_truncate(completed.stdout),
            stderr=_truncate(completed.stderr),
            duration=time.monotonic() - started,
        )

    def version(self, spec: ToolSpec) -> str | None:
        """The first line the tool prints for its version command, if it has one."""
        if not spec.version_argv:
            return None
        output = self._capture(list(spec.version_argv))
        return output.splitlines()[0].strip() if output.strip() else None

    def _capture(self, argv: list[str]) -> str:
        completed = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=5,
            cwd=self.workdir,
            env=self._environment(),
            check=False,
        )
        return completed.stdout

    def _environment(self) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
        env.update(self.env or {})
        return env


def _truncate(output: str | bytes | None) -> str:
    if output is None:
        return ""
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    return output[:MAX_OUTPUT]
