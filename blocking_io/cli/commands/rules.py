"""`blocking-io rules`: the registry with its static/runtime matrix, and one rule explained."""

from __future__ import annotations

import io
import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from blocking_io.shared_rules import Registry, Rule

if TYPE_CHECKING:
    from rich.table import Table
from blocking_io.shared_rules.atomic import write_atomic

from . import common

EPILOG = (
    "Examples:\n\n"
    "  blocking-io rules                      # table of all rules\n\n"
    "  blocking-io rules BIO102               # what it does, why, example and fix\n\n"
    "  blocking-io rules --format json        # machine-readable, with runtime mapping\n\n"
    "  blocking-io rules --format markdown --output docs/rules.md"
)


class RulesFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


RUNTIME_LABEL = {"blockbuster": "Blockbuster", "patch": "gate patch", "none": "none (blind)"}


def rules_command(
    rule_id: str = typer.Argument(None, help="Explain one rule (e.g. BIO102).", show_default=False),
    fmt: RulesFormat = typer.Option(RulesFormat.table, "--format", help="Output format."),
    output: Path = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", show_default=False
    ),
    color: common.ColorChoice = common.COLOR_OPTION,
    config: Path = common.CONFIG_OPTION,
) -> None:
    """List the rules: category, severity, and how each detector handles them.

    The runtime column says how the runtime gate intercepts the rule's targets: Blockbuster's
    own wrapper, a patch the gate installs, or none (runtime-blind: only the static detector
    and review guard it). Disabled rules are opt-in via `select`.
    """
    project = common.project(config)
    registry = project.registry
    if rule_id:
        rule = registry.get(rule_id.upper())
        if rule is None:
            raise common.fail(f"unknown rule id {rule_id!r} (see `blocking-io rules`)")
        text = explain_markdown(rule, registry)
        if fmt is RulesFormat.json:
            text = json.dumps(rule_json(rule, registry), indent=2) + "\n"
        _emit(text, output, markdown=fmt is RulesFormat.table, color=color)
        return
    if fmt is RulesFormat.json:
        payload = {
            "rules_hash": registry.rules_hash,
            "rules": [rule_json(r, registry) for r in registry.all_rules],
        }
        _emit(json.dumps(payload, indent=2) + "\n", output)
    elif fmt is RulesFormat.markdown:
        _emit(rules_markdown(registry), output)
    else:
        if output:
            buffer = io.StringIO()
            common.console(buffer, color=common.want_color(color, output)).print(
                rules_table(registry)
            )
            write_atomic(output, buffer.getvalue())
        else:
            common.console(color=common.want_color(color)).print(rules_table(registry))


def _emit(
    text: str,
    output: Path | None,
    markdown: bool = False,
    color: common.ColorChoice = common.ColorChoice.auto,
) -> None:
    if output:
        write_atomic(output, text)
    elif markdown:
        from rich.markdown import Markdown

        common.console(color=common.want_color(color)).print(Markdown(text))
    else:
        typer.echo(text, nl=False)


def enabled(rule: Rule, registry: Registry) -> bool:
    return any(r.id == rule.id for r in registry.rules)


def rule_json(rule: Rule, registry: Registry) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "category": rule.category,
        "severity": rule.severity.value,
        "enabled": enabled(rule, registry),
        "requires": rule.requires,
        "title": rule.title,
        "fix": rule.fix,
        "runtime_coverage": rule.runtime_coverage,
        "targets": [
            {
                "symbol": t.symbol,
                "lazy": t.lazy,
                "except": list(t.except_),
                "runtime": rule.runtime_for(t).model_dump(mode="json"),
            }
            for t in rule.targets
        ],
    }


def _runtime_summary(rule: Rule) -> str:
    modes = sorted({rule.runtime_for(t).mode for t in rule.targets})
    label = " + ".join(RUNTIME_LABEL[m] for m in modes)
    return f"{rule.runtime_coverage}: {label}"


def rules_table(registry: Registry) -> Table:

    from ..console.style import add_column, section_table

    table: Table = section_table("blocking-io rules")
    for column in ("id", "name", "category", "severity", "static", "runtime", "targets"):
        kind = "num" if column == "targets" else "text" if column == "runtime" else "id"
        add_column(table, column, kind)
    for rule in registry.all_rules:
        on = enabled(rule, registry)
        table.add_row(
            rule.id,
            rule.name,
            rule.category,
            rule.severity.value,
            "on" if on else "opt-in",
            _runtime_summary(rule),
            str(len(rule.targets)),
            style=None if on else "dim",
        )
    return table


def explain_markdown(rule: Rule, registry: Registry, *, defaults: bool = False) -> str:
    """One rule. `defaults`: describe the built-in default (the generated docs), not
    whether this project's configuration enables it."""
    if defaults:
        status = "on by default" if rule.default else "opt-in (enable with `extend-select`)"
    else:
        status = "enabled" if enabled(rule, registry) else "disabled (enable with `extend-select`)"
    lines = [
        f"## {rule.id} `{rule.name}`: {rule.title}",
        "",
        f"Category: {rule.category} · Severity: {rule.severity.value} · {status}"
        + (f" · applies where `{rule.requires}` is imported" if rule.requires else ""),
        "",
        "### What it does",
        "",
        f"Reports {', '.join(f'`{t.symbol}`' for t in rule.targets[:6])}"
        + (f" and {len(rule.targets) - 6} more" if len(rule.targets) > 6 else "")
        + " where it can run on the event loop: directly in an `async def`, through sync helpers "
        "called from one (in any module), or in a sync callback the loop runs.",
        "",
        "### Why is this bad?",
        "",
        rule.why or rule.title,
        "",
    ]
    if rule.example:
        lines += ["### Example", "", "```python", rule.example.strip("\n"), "```", ""]
    lines += ["### Use instead", "", rule.fix, ""]
    if rule.example_fix:
        lines += ["```python", rule.example_fix.strip("\n"), "```", ""]
    lines += [
        "### Targets",
        "",
        "| target | lazy | runtime gate |",
        "|---|---|---|",
    ]
    for t in rule.targets:
        rt = rule.runtime_for(t)
        how = (
            f"none: {rt.reason}"
            if rt.mode == "none"
            else f"{RUNTIME_LABEL[rt.mode]}: " + ", ".join(f"`{k}`" for k in rt.keys)
        )
        symbol = f"`{t.symbol}`" + (f" (except {', '.join(t.except_)})" if t.except_ else "")
        lines.append(f"| {symbol} | {'yes' if t.lazy else ''} | {how} |")
    lines += ["", suppress_line(rule.id), ""]
    return "\n".join(lines)


def suppress_line(rule_id: str) -> str:
    """How to suppress one place of `rule_id`, with the ruff/flake8-async codes that do too."""
    from blocking_io.shared_rules.noqa import noqa_aliases

    codes = [code for code, rules in noqa_aliases().items() if rule_id in rules]
    foreign = (
        ", or ruff's and flake8-async's " + " / ".join(f"`# noqa: {c}`" for c in codes)
        if codes
        else ""
    )
    return (
        f"Suppress one place: `# blocking-io: ignore[{rule_id}] <reason>`, "
        f"`# noqa: {rule_id}`{foreign}."
    )


def noqa_markdown() -> str:
    """The table of data/noqa.toml: which ruff/flake8-async code suppresses which rules."""
    from blocking_io.shared_rules.noqa import builtin_aliases

    lines = [
        '<a id="noqa"></a>',
        "",
        "## `# noqa` codes of ruff and flake8-async",
        "",
        "A `# noqa: CODE` comment that ruff or flake8-async honours suppresses the matching "
        "blocking-io rules on that line too, so existing suppressions keep working; "
        "`# noqa: BIO301` names a blocking-io rule directly. A bare `# noqa` (no code) does "
        "not suppress blocking-io findings: it usually silences an unrelated lint. Like "
        "`# blocking-io: ignore[...]`, the comment works on the line of the call, on a line "
        "of the call chain, or on the `def` line. Generated from "
        "`shared_rules/data/noqa.toml`.",
        "",
        "| code | what ruff / flake8-async report | blocking-io rules |",
        "|---|---|---|",
    ]
    for code, alias in builtin_aliases().items():
        rules = ", ".join(f"[{r}](#{r.lower()})" for r in alias.rules)
        lines.append(f"| `{code}` | {alias.title} | {rules} |")
    return "\n".join(lines) + "\n"


def rules_markdown(registry: Registry) -> str:
    """docs/rules.md: generated from shared_rules/data/rules.toml (`make docs`)."""
    head = [
        "# Rules",
        "",
        "<!-- generated by `blocking-io rules --format markdown`; do not edit by hand -->",
        "",
        "Each rule is one family of blocking primitives. The static detector reports a target "
        "where it can run on the event loop; the runtime gate intercepts it as the *runtime* "
        "column says (Blockbuster's own wrapper, a patch the gate installs, or none: "
        "runtime-blind, guarded only by the static side).",
        "",
        "| id | name | category | severity | default | runtime |",
        "|---|---|---|---|---|---|",
    ]
    for rule in registry.all_rules:
        head.append(
            f"| [{rule.id}](#{rule.id.lower()}) | {rule.name} | {rule.category} | "
            f"{rule.severity.value} | {'on' if rule.default else 'opt-in'} | {_runtime_summary(rule)} |"
        )
    head += ["", "Suppression comments: [`# noqa` codes of ruff and flake8-async](#noqa)."]
    body = [
        f'<a id="{r.id.lower()}"></a>\n\n' + explain_markdown(r, registry, defaults=True)
        for r in registry.all_rules
    ]
    return "\n".join(head) + "\n\n" + "\n".join(body) + "\n" + noqa_markdown()
