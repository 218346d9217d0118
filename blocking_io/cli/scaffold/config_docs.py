"""docs/configuration.md, generated from the `Settings` model (keys, types, defaults and
descriptions all come from shared_rules/config.py, so the page cannot drift from the code).

    python -m blocking_io.cli.scaffold.config_docs --output docs/configuration.md
    python -m blocking_io.cli.scaffold.config_docs --check docs/configuration.md
"""

from __future__ import annotations

import argparse
import enum
import sys
import typing
from pathlib import Path
from typing import Any

import tomlkit
from pydantic.fields import FieldInfo

from blocking_io.shared_rules.config import Settings

HEADER = """# Configuration

<!-- generated from shared_rules/config.py by `make docs`
     (python -m blocking_io.cli.scaffold.config_docs); do not edit by hand -->

Every part of blocking-io (the `blocking-io` commands and the pytest plugin) reads one
table, `[tool.blocking-io]`, in the project's `pyproject.toml`: the nearest one with such a
table, walking up from the current directory (the plugin starts from pytest's rootdir);
`--config PATH` (`--blocking-io-config` for pytest) names another. Relative paths are
relative to the directory of that `pyproject.toml`, the *project root*.

A key that is not listed here, or a value of the wrong type, is an error that names the
file, the key and what was expected (exit code 2): never silently ignored. A misspelt key
gets the one it resembles: `sorce-roots: unknown key; did you mean 'source-roots'?`.

`blocking-io init` writes a commented table with the keys most projects need:

```toml
[tool.blocking-io]
source-roots = ["src"]
scanned-modules = ["myapp"]
anchor-paths = ["tests/blocking_io"]
report-dir = ".blocking-io"
```
"""

# A realistic value for each key, shown under its description (TOML inside the
# `[tool.blocking-io]` table; tests/adoption checks that each one loads).
EXAMPLES: dict[str, str] = {
    "source-roots": 'source-roots = ["src"]',
    "include": 'include = ["src/myapp", "scripts/worker.py"]',
    "exclude": 'exclude = ["**/migrations/**", "**/tests/**"]',
    "extend-exclude": 'extend-exclude = ["**/generated/**"]',
    "scanned-modules": 'scanned-modules = ["myapp", "myapp_plugins"]',
    "anchor-paths": 'anchor-paths = ["tests/blocking_io", "tests/integration"]',
    "select": 'select = ["ALL"]',
    "extend-select": 'extend-select = ["BIO116", "BIO107"]',
    "ignore": 'ignore = ["BIO302", "BIO106"]',
    "severity": 'severity = { BIO106 = "medium", BIO302 = "high" }',
    "extra-rules": """\
[[tool.blocking-io.extra-rules]]
id = "ACME001"
name = "legacy-client"
category = "network"
severity = "high"
title = "Blocking legacy client"
message = "`{symbol}` blocks on a socket"
fix = "Use `await myapp.clients.fetch()`."
targets = ["myapp.legacy.LegacyClient.fetch"]
runtime = { mode = "none", reason = "a C extension; the gate cannot patch it" }""",
    "offload-functions": 'offload-functions = ["myapp.utils.run_io", "myapp.pool.submit:1"]',
    "loop-entrypoints": (
        'loop-entrypoints = ["myapp.hooks.*.on_message", "myapp.app.Lifespan.on_startup"]'
    ),
    "dependency-depth": "dependency-depth = 0",
    "python": 'python = ".venv-dev"  # or an interpreter: "/opt/py311/bin/python3"',
    "closed-world": "closed-world = true  # a service: its own code makes every instance",
    "min-impact": 'min-impact = "script"  # also show scripts and private loops',
    "report-dir": 'report-dir = "build/blocking-io"',
}


def key_of(name: str, field: FieldInfo) -> str:
    return field.alias or name


def type_of(field: FieldInfo) -> str:
    return _type(field.annotation, field)


def _type(annotation: Any, field: FieldInfo | None = None) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = args[0]
        if typing.get_origin(inner) is dict:
            return "array of tables"
        return f"array of {_type(inner)}s"
    if origin is dict:
        return f"table of {_type(args[0])} → {_type(args[1])}"
    if type(None) in args:  # `bool | None`: the key is a bool, or absent
        (present,) = [a for a in args if a is not type(None)]
        return _type(present, field)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(f'`"{m.value}"`' for m in annotation)
    if annotation is str:
        return "string"
    if annotation is bool:
        return "boolean"
    if annotation is int:
        bounds = [
            m for m in (field.metadata if field else []) if hasattr(m, "ge") or hasattr(m, "le")
        ]
        low = next((m.ge for m in bounds if hasattr(m, "ge")), None)
        high = next((m.le for m in bounds if hasattr(m, "le")), None)
        if low is not None and high is not None:
            return f"integer, {low} to {high}"
        return "integer"
    return getattr(annotation, "__name__", str(annotation))


def default_of(field: FieldInfo) -> Any:
    value = field.get_default(call_default_factory=True)
    if isinstance(value, tuple):
        return list(value)
    return value


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update(value)
        return table.as_string() if value else "{}"
    if isinstance(value, list) and len(value) > 3:
        array = tomlkit.array()
        array.extend(value)
        array.multiline(True)
        return array.as_string()
    return tomlkit.item(value).as_string()


def render() -> str:
    fields = list(Settings.model_fields.items())
    lines = [HEADER, "## Keys", "", "| key | type | default |", "|---|---|---|"]
    for name, field in fields:
        key = key_of(name, field)
        if default_of(field) is None:  # unset: decided from the project (the description says)
            lines.append(f"| [`{key}`](#{key}) | {type_of(field)} | (unset: automatic) |")
            continue
        default = toml_value(default_of(field))
        shown = f"`{default}`" if "\n" not in default else "(see below)"
        lines.append(f"| [`{key}`](#{key}) | {type_of(field)} | {shown} |")
    lines.append("")
    for name, field in fields:
        key = key_of(name, field)
        lines += [f"### `{key}`", ""]
        lines += [f"Type: {type_of(field)}.", ""]
        lines += [(field.description or "").strip(), ""]
        if default_of(field) is None:
            lines += ["Default: unset (decided automatically, as described above).", ""]
        else:
            default = toml_value(default_of(field))
            lines += ["Default:", "", "```toml", f"{key} = {default}", "```", ""]
        if key in EXAMPLES:
            lines += ["Example:", "", "```toml", EXAMPLES[key], "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--output", type=Path, help="write the page here (default: stdout)")
    group.add_argument("--check", type=Path, help="exit 1 if this file is not up to date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        try:
            current = args.check.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{args.check}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            return 2
        if current != text:
            print(f"{args.check}: out of date; run `make docs`", file=sys.stderr)
            return 1
        return 0
    if args.output:
        from .files import write_text

        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
