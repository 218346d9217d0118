"""The `# noqa` codes of ruff and flake8-async that blocking-io honours (data/noqa.toml).

    aliases = noqa_aliases()          # {"ASYNC251": frozenset({"BIO301"}), ...}
    rules_for(["ASYNC251", "E501"])   # frozenset({"BIO301"}): what a comment suppresses

Validated on load: every code looks like ASYNC2xx and names at least one rule, and every
rule exists in the built-in registry; a broken table is one InputError naming the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import tomlio
from .errors import InputError
from .validation import describe_validation_error

CODE = re.compile(r"ASYNC2\d\d")
RULE_ID = re.compile(r"[A-Z]+\d+")


class Alias(BaseModel):
    """One foreign code: what it reports (`title`) and the blocking-io rules it stands for."""

    # built on first use: a scan needs it only when a noqa comment names an ASYNC code
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    title: str = Field(min_length=1)
    rules: tuple[str, ...] = Field(min_length=1)

    @field_validator("rules")
    @classmethod
    def _rule_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for rule in value:
            if not RULE_ID.fullmatch(rule):
                raise ValueError(f"{rule!r} is not a rule id like 'BIO301'")
        if len(set(value)) != len(value):
            raise ValueError("a rule is listed twice")
        return value


def parse_aliases(
    data: Mapping[str, Any], path: str | Path, known: Iterable[str]
) -> dict[str, Alias]:
    """The table `data` (read from `path`), validated against the rule ids in `known`."""
    known_ids = set(known)
    out: dict[str, Alias] = {}
    for code, entry in data.items():
        if not CODE.fullmatch(code):
            raise InputError(f"[{code}]: not a flake8-async/ruff code like 'ASYNC251'", path)
        try:
            alias = Alias.model_validate(entry)
        except ValidationError as exc:
            raise InputError(describe_validation_error(exc, f"[{code}]", Alias), path) from None
        unknown = [rule for rule in alias.rules if rule not in known_ids]
        if unknown:
            raise InputError(f"[{code}].rules: unknown rule id {unknown[0]!r}", path)
        out[code] = alias
    return dict(sorted(out.items()))


@functools.cache
def builtin_aliases() -> dict[str, Alias]:
    from importlib import resources

    from .registry import builtin_registry

    resource = resources.files("blocking_io.shared_rules") / "data" / "noqa.toml"
    path = Path(str(resource))
    data = tomlio.loads(resource.read_text("utf-8"), path)
    return parse_aliases(data, path, (rule.id for rule in builtin_registry().all_rules))


def noqa_aliases() -> dict[str, frozenset[str]]:
    """Code -> the rule ids it suppresses."""
    return {code: frozenset(alias.rules) for code, alias in builtin_aliases().items()}


def rules_for(
    codes: Iterable[str], aliases: Mapping[str, frozenset[str]] | None = None
) -> frozenset[str]:
    """The blocking-io rule ids that a `# noqa: CODES` comment suppresses: our own ids as
    they are, ASYNC2xx codes through the table; other tools' codes (E501, ...) nothing."""
    table = noqa_aliases() if aliases is None else aliases
    out: set[str] = set()
    for code in codes:
        code = code.upper()
        if code.startswith("BIO"):
            out.add(code)
        else:
            out |= table.get(code, frozenset())
    return frozenset(out)
