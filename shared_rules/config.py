"""`[tool.blocking-io]` in pyproject.toml: one table read by every part of the toolkit."""

# No `from __future__ import annotations`: see models.py.
import fnmatch
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import tomlio
from .errors import InputError
from .knowledge import ApiSpec
from .models import Rule, Severity
from .registry import Registry, builtin_registry, parse_rules
from .reports import Impact
from .validation import describe_validation_error

TABLE = "[tool.blocking-io]"

DEFAULT_EXCLUDE = (
    "**/.git/**",
    "**/.hg/**",
    "**/.venv*/**",
    "**/venv/**",
    "**/.tox/**",
    "**/.nox/**",
    "**/node_modules/**",
    "**/__pycache__/**",
    "**/site-packages/**",
    "**/build/**",
    "**/dist/**",
    "**/.blocking-io/**",
    "**/tests/**",
    "**/test/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
)


class Settings(BaseModel):
    """The keys of `[tool.blocking-io]`. Unknown keys are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, defer_build=True)

    source_roots: tuple[str, ...] = Field(
        default=(),
        alias="source-roots",
        description="Directories that imports resolve from (like PYTHONPATH entries). "
        "Empty: inferred from the scanned paths (the nearest ancestor without __init__.py).",
    )
    include: tuple[str, ...] = Field(
        default=(),
        description="Paths or globs (relative to the project root) that `blocking-io detect` "
        "scans when no paths are given. Empty: the source roots, else the project root.",
    )
    exclude: tuple[str, ...] = Field(
        default=DEFAULT_EXCLUDE,
        description="Globs of files never scanned. Setting it replaces the default list "
        "(virtualenvs, build output, tests).",
    )
    extend_exclude: tuple[str, ...] = Field(
        default=(),
        alias="extend-exclude",
        description="Globs excluded in addition to `exclude`.",
    )
    scanned_modules: tuple[str, ...] = Field(
        default=(),
        alias="scanned-modules",
        description="Top-level import names of the project's own code. The runtime gate "
        "raises only for blocking calls made from these modules.",
    )
    anchor_paths: tuple[str, ...] = Field(
        default=("tests/blocking_io",),
        alias="anchor-paths",
        description="Test folders whose tests run under the runtime gate (runtime anchors).",
    )
    select: tuple[str, ...] = Field(
        default=(),
        description="Rule ids or prefixes (`BIO1`, `ALL`) to enable; replaces the default set.",
    )
    extend_select: tuple[str, ...] = Field(
        default=(),
        alias="extend-select",
        description="Rule ids or prefixes to enable in addition to the selected set (the "
        "opt-in rules, e.g. `BIO116` mimetypes or `BIO107` cheap file-system calls).",
    )
    ignore: tuple[str, ...] = Field(default=(), description="Rule ids or prefixes to disable.")
    severity: dict[str, Severity] = Field(
        default_factory=dict, description='Severity overrides by rule id: `{ BIO106 = "medium" }`.'
    )
    extra_rules: tuple[dict[str, Any], ...] = Field(
        default=(),
        alias="extra-rules",
        description="Project rules, in the same schema as the built-in rules (`blocking-io rules --format json`).",
    )
    offload_functions: tuple[str, ...] = Field(
        default=(),
        alias="offload-functions",
        description="Project wrappers that run their first argument off the loop, e.g. "
        "`myapp.utils.run_io`; `name:N` when the callable is argument N.",
    )
    loop_entrypoints: tuple[str, ...] = Field(
        default=(),
        alias="loop-entrypoints",
        description="Sync callables that a framework calls on the event loop (qualified names "
        "or fnmatch patterns, e.g. `myapp.hooks.*.on_message`).",
    )
    closed_world: bool = Field(
        default=False,
        alias="closed-world",
        description="Whether the scanned code is the whole program: every instance of its "
        "classes is made, and every call of its functions written, in the scanned code. Then "
        "dead code is not reported: a method of a class nothing mentions, and an async "
        "function nothing calls, awaits, passes or names (an undecorated one, not a method of "
        "a framework's class). True suits a service whose code nobody imports; leave it false "
        "(the default) for a library or a framework, whose users make instances of its "
        "classes and call its coroutines where the scan cannot see them.",
    )
    min_impact: Impact = Field(
        default=Impact.ONCE,
        alias="min-impact",
        description="Report only findings at least this frequent: `request` (per request, "
        "message or event) > `background` > `lifecycle` (start-up, shut-down) > `once` (a lazy "
        "initialisation) > `script` (a script, a CLI, a private loop in a thread). The "
        "default hides `script` (docs/impact.md).",
    )
    python: str | None = Field(
        default=None,
        description="The project's Python environment, whose installed libraries the static "
        "detector follows calls into: an interpreter or a virtual environment folder, relative "
        "to the project root. `--python` overrides it. Unset: `VIRTUAL_ENV`, then `.venv` or "
        "`venv` at the project root, then the environment uv, pdm, poetry or hatch made for "
        "the project, then the interpreter blocking-io runs on.",
    )
    dependency_depth: int | None = Field(
        default=None,
        ge=0,
        alias="dependency-depth",
        description="How many calls deep the static detector follows into installed "
        "third-party packages that no rule describes (0: never). Unset: as deep as the "
        "chain goes.",
    )
    report_dir: str = Field(
        default=".blocking-io",
        alias="report-dir",
        description="Directory for findings.json, anchors.json, gaps.json and the cache. It "
        "ignores itself, as ruff's cache does: blocking-io puts a `.gitignore` of `*` and a "
        "`CACHEDIR.TAG` in it (not in a folder that holds other files).",
    )

    @field_validator("source_roots", "include", "exclude", "extend_exclude", "anchor_paths")
    @classmethod
    def _relative(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item.strip():
                raise ValueError("empty path")
        return value

    @field_validator("offload_functions")
    @classmethod
    def _offloads(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            name, _, index = item.partition(":")
            if not name or "." not in name or (index and not index.isdigit()):
                raise ValueError(
                    f"{item!r} is not a qualified function name like 'pkg.mod.run_io' or 'pkg.mod.run_io:1'"
                )
        return value


@dataclass(frozen=True)
class ProjectConfig:
    """Settings plus where they came from and the registry they configure."""

    root: Path
    path: Path | None  # the pyproject.toml, or None when running on defaults
    settings: Settings
    registry: Registry
    extra_rules: tuple[Rule, ...] = ()

    @property
    def report_dir(self) -> Path:
        return self.root / self.settings.report_dir

    @property
    def config_hash(self) -> str:
        blob = json.dumps(self.settings.model_dump(mode="json"), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def relpath(self, path: Path) -> str:
        """Project-relative posix path (absolute posix path when outside the root).

        Tries the cheap textual form first: resolving every path costs an lstat per path
        component, which dominated warm re-runs on large trees."""
        absolute = os.path.abspath(path)
        root = str(self.root)
        if absolute == root:
            return "."
        if absolute.startswith(root + os.sep):
            return absolute[len(root) + 1 :].replace(os.sep, "/")
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).resolve().as_posix()

    def is_loop_entrypoint(self, qualname: str) -> bool:
        return any(fnmatch.fnmatchcase(qualname, p) for p in self.settings.loop_entrypoints)


def matches_any(rel: str, patterns: tuple[str, ...]) -> bool:
    """Glob match on a posix path relative to the project root: `*` and `?` stay within one
    path segment, `**` spans any number of them (`**/tests/**` matches `tests/x.py` and
    `a/tests/b/x.py`; `**/test_*.py` matches `a/test_api.py`, not `a/test_data/x.py`)."""
    return any(_glob(pattern).fullmatch(rel) for pattern in patterns)


@functools.lru_cache(maxsize=512)
def _glob(pattern: str) -> re.Pattern[str]:
    # glob.translate() does exactly this, but only from Python 3.13
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.blocking-io] table, walking up from `start`;
    failing that, the nearest pyproject.toml at all (its directory is the project root)."""
    start = start.resolve()
    nearest = None
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            nearest = nearest or candidate
            try:
                if "blocking-io" in tomlio.load(candidate).get("tool", {}):
                    return candidate
            except InputError:
                return candidate  # unreadable or invalid: load_config reports it
    return nearest


def load_config(config: Path | None = None, cwd: Path | None = None) -> ProjectConfig:
    """Load `[tool.blocking-io]` from `config` or the nearest pyproject.toml.

    Every problem is an InputError naming the file and the key.
    """
    cwd = (cwd or Path.cwd()).resolve()
    if config is not None:
        config = config if config.is_absolute() else cwd / config
        if config.is_dir():
            config = config / "pyproject.toml"
        if not config.exists():
            raise InputError("config file not found", config)
        path: Path | None = config
    else:
        path = find_pyproject(cwd)
    if path is None:
        return _build(cwd, None, {})
    data = tomlio.load(path)
    table = data.get("tool", {}).get("blocking-io", {})
    if not isinstance(table, dict):
        raise InputError(f"{TABLE} must be a table", path)
    return _build(path.parent.resolve(), path, table)


def _build(root: Path, path: Path | None, table: dict[str, Any]) -> ProjectConfig:
    label = path.name if path else "pyproject.toml"
    where = f"{TABLE}"
    try:
        settings = Settings.model_validate(table)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, where, Settings), path or label) from None
    try:
        extra = parse_rules(settings.extra_rules, f"{where}.extra-rules")
        offloads = [_offload_spec(name) for name in settings.offload_functions]
        registry = builtin_registry().configured(
            extra_rules=extra,
            select=settings.select,
            extend_select=settings.extend_select,
            ignore=settings.ignore,
            severity=settings.severity,
            offload_functions=offloads,
            where=where,
        )
    except InputError as exc:
        if exc.path:
            raise
        raise InputError(str(exc), path or label) from None
    return ProjectConfig(
        root=root, path=path, settings=settings, registry=registry, extra_rules=tuple(extra)
    )


def _offload_spec(entry: str) -> ApiSpec:
    name, _, index = entry.partition(":")
    return ApiSpec(symbol=name, func_arg=int(index or 0))


def with_overrides(
    project: ProjectConfig,
    *,
    select: tuple[str, ...] | None = None,
    extend_select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    where: str = "command line",
) -> ProjectConfig:
    """The project with command-line rule selection applied (`--select` replaces the
    configured set, `--extend-select`/`--ignore` add to it); errors name `where`."""
    if select is None and not extend_select and not ignore:
        return project
    settings = project.settings
    updated = settings.model_copy(
        update={
            "select": tuple(select) if select is not None else settings.select,
            "extend_select": (*settings.extend_select, *extend_select),
            "ignore": (*settings.ignore, *ignore),
        }
    )
    registry = builtin_registry().configured(
        extra_rules=project.extra_rules,
        select=updated.select,
        extend_select=updated.extend_select,
        ignore=updated.ignore,
        severity=updated.severity,
        offload_functions=[_offload_spec(n) for n in updated.offload_functions],
        where=where,
    )
    return ProjectConfig(
        root=project.root,
        path=project.path,
        settings=updated,
        registry=registry,
        extra_rules=project.extra_rules,
    )
