"""Suppression comments of one module, by line (real comments only, never text in strings):

- `# blocking-io: ignore[BIO101,BIO102] reason` (no rules: every rule);
- `# noqa: ASYNC251, BIO301` as ruff and flake8-async write them: the codes are kept as
  written and mapped to rules when findings are built (shared_rules/noqa.py). A bare
  `# noqa` (no codes) is not ours: it usually silences an unrelated lint.
"""

from __future__ import annotations

import re
import tokenize
from typing import NamedTuple

SUPPRESSION = re.compile(
    r"#\s*blocking-io:\s*ignore(?:\[(?P<rules>[A-Za-z0-9_, ]*)\])?(?P<reason>[^#]*)"
)
# ruff's and flake8's form: "noqa" then a colon and codes (commas and/or spaces between)
NOQA = re.compile(
    r"#\s*noqa\s*:\s*(?P<codes>[A-Za-z]+[0-9]+(?:(?:\s*,\s*|\s+)[A-Za-z]+[0-9]+)*)", re.I
)
# cheap test before tokenizing: a noqa naming one of the codes blocking-io knows
_OURS = re.compile(r"noqa\s*:[\sA-Za-z0-9,]*\b(?:ASYNC2|BIO)\d", re.I)


class Suppression(NamedTuple):
    line: int
    rules: tuple[str, ...]  # empty: all rules (never for a noqa comment); its codes as written
    reason: str
    noqa: bool = False  # a noqa comment (its codes are mapped when applied)


def suppressions(text: str) -> dict[int, Suppression]:
    """The suppression comments of `text`, by line."""
    ignore = "blocking-io:" in text
    noqa = bool(_OURS.search(text))
    if not ignore and not noqa:
        return {}
    found: dict[int, Suppression] = {}
    try:
        tokens = list(tokenize.generate_tokens(iter(text.splitlines(keepends=True)).__next__))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        line = tok.start[0]
        if ignore and "blocking-io:" in tok.string:
            match = SUPPRESSION.search(tok.string)
            if match:
                rules = tuple(
                    r.strip().upper() for r in (match.group("rules") or "").split(",") if r.strip()
                )
                found[line] = Suppression(line, rules, match.group("reason").strip())
                continue
        if noqa:
            match = NOQA.search(tok.string)
            if match:
                codes = tuple(c.upper() for c in re.split(r"[\s,]+", match.group("codes")) if c)
                if any(c.startswith(("ASYNC2", "BIO")) for c in codes):
                    found[line] = Suppression(line, codes, "", noqa=True)
    return found
