"""`# blocking-io: ignore[BIO101,BIO102] reason` comments: the suppressions of one module."""

from __future__ import annotations

import re
import tokenize
from typing import NamedTuple

SUPPRESSION = re.compile(
    r"#\s*blocking-io:\s*ignore(?:\[(?P<rules>[A-Za-z0-9_, ]*)\])?(?P<reason>[^#]*)"
)


class Suppression(NamedTuple):
    line: int
    rules: tuple[str, ...]  # empty: all rules
    reason: str


def suppressions(text: str) -> dict[int, Suppression]:
    """`# blocking-io: ignore[BIO101,BIO102] reason` comments, by line (real comments only)."""
    if "blocking-io:" not in text:
        return {}
    found: dict[int, Suppression] = {}
    try:
        tokens = list(tokenize.generate_tokens(iter(text.splitlines(keepends=True)).__next__))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for tok in tokens:
        if tok.type != tokenize.COMMENT or "blocking-io:" not in tok.string:
            continue
        match = SUPPRESSION.search(tok.string)
        if not match:
            continue
        rules = tuple(
            r.strip().upper() for r in (match.group("rules") or "").split(",") if r.strip()
        )
        found[tok.start[0]] = Suppression(tok.start[0], rules, match.group("reason").strip())
    return found
