"""The `[tool.blocking-io]` table that `init` writes, edited into pyproject.toml with tomlkit
so the rest of the file (comments, order, formatting) stays byte-for-byte as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from blocking_io.shared_rules import InputError
from blocking_io.shared_rules.config import TABLE, Settings

from .layout import Layout

# Commented-out keys shown under the written ones: the ones a team reaches for next.
OPTIONAL_KEYS = (
    ("offload-functions", '["myapp.utils.run_io"]', "your wrappers that run work off the loop"),
    (
        "loop-entrypoints",
        '["myapp.hooks.*.on_message"]',
        "sync callables a framework calls on the loop",
    ),
    ("closed-world", "true", "a service nobody imports: dead code is not reported"),
    ("ignore", '["BIO302"]', "rule ids or prefixes to switch off (`blocking-io rules`)"),
    ("severity", '{ BIO106 = "medium" }', "severity overrides by rule id"),
)


def parse(text: str, path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise InputError(f"invalid TOML: {exc}", path) from None


def has_table(doc: tomlkit.TOMLDocument) -> bool:
    tool = doc.get("tool")
    return isinstance(tool, dict) and "blocking-io" in tool


def build_table(layout: Layout, settings: Settings) -> Table:
    """The table, with a comment above each key saying what it is for."""
    table = tomlkit.table()
    table.add(
        tomlkit.comment(
            "Written by `blocking-io init`. Every key: docs/configuration.md of blocking-io."
        )
    )

    def key(name: str, value: Any, why: str) -> None:
        table.add(tomlkit.comment(why))
        array = tomlkit.array()
        if isinstance(value, list):
            array.extend(value)
            table.add(name, array)
        else:
            table.add(name, value)

    key(
        "source-roots", layout.source_roots, "Where imports resolve from (like PYTHONPATH entries)."
    )
    if layout.include:
        key("include", layout.include, "What `blocking-io detect` scans when no paths are given.")
    key(
        "scanned-modules",
        layout.packages,
        "Your top-level packages: the runtime gate fails only for blocking calls they make.",
    )
    key(
        "anchor-paths",
        list(settings.anchor_paths),
        "Tests under these folders run under the runtime gate (runtime anchors).",
    )
    key(
        "report-dir",
        settings.report_dir,
        "findings.json, anchors.json, gaps.json and the cache (git-ignored).",
    )
    table.add(tomlkit.comment("Next, when you need them:"))
    for name, example, why in OPTIONAL_KEYS:
        table.add(tomlkit.comment(f"{name} = {example}  # {why}"))
    return table


def with_table(text: str, path: Path, table: Table) -> str:
    """`text` with `[tool.blocking-io]` set to `table`: replaced where it is, else added
    after the other `[tool.*]` tables, else appended to the file."""
    if text and not text.endswith("\n"):
        text += "\n"
    doc = parse(text, path)
    tool = doc.get("tool")
    if tool is None:
        # a new top-level table goes last, after one blank line; nothing above it changes
        new = tomlkit.document()
        new.add("tool", tomlkit.table(is_super_table=True))
        new["tool"]["blocking-io"] = table
        separator = "\n" if text.strip() and not text.endswith("\n\n") else ""
        out = text + separator + tomlkit.dumps(new).lstrip("\n")
    elif not isinstance(tool, dict):
        raise InputError("`tool` is not a table; cannot add [tool.blocking-io]", path)
    else:
        table.add(tomlkit.nl())  # a blank line between it and whatever follows
        tool["blocking-io"] = table
        out = tomlkit.dumps(doc)
        if out.endswith("\n\n") and not text.endswith("\n\n"):
            out = out.rstrip("\n") + "\n"  # it went last: no blank line at the end
    check(out, path)
    return out


def check(text: str, path: Path) -> None:
    """What we wrote must load as the toolkit's own configuration would (valid TOML, valid
    `[tool.blocking-io]`): a bug here must not leave the user with a broken pyproject."""
    from blocking_io.shared_rules import tomlio

    data = tomlio.loads(text, path)
    table = data.get("tool", {}).get("blocking-io")
    try:
        Settings.model_validate(table)
    except Exception as exc:  # pragma: no cover - our own table; a bug if it happens
        raise InputError(f"{TABLE} written by init does not validate: {exc}", path) from None
