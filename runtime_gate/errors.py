"""What the gate raises. Both carry the registry rule, so tools can act on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from blockbuster import BlockingError

if TYPE_CHECKING:
    from .violations import Violation


class BlockingIOViolation(BlockingError):
    """A blocking primitive ran on the event loop thread from the project's own code.

    A subclass of Blockbuster's BlockingError, so `except BlockingError` keeps working.
    """

    def __init__(self, violation: Violation) -> None:
        Exception.__init__(self, violation.describe())
        self.violation = violation


class SwallowedBlockingIO(AssertionError):
    """Raised when a gate exits after the code under test caught its BlockingIOViolation."""

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(describe_swallowed(violations))
        self.violations = violations


# Shown in tracebacks and summaries by their public name: `blocking_io.runtime_gate.BlockingIOViolation`.
BlockingIOViolation.__module__ = SwallowedBlockingIO.__module__ = "blocking_io.runtime_gate"


def describe_swallowed(violations: list[Violation]) -> str:
    """Violations that never reached the test: swallowed by the code under test, or run in a
    loop callback (recorded there, not raised)."""
    caught = [v for v in violations if not v.in_callback]
    callbacks = [v for v in violations if v.in_callback]
    parts: list[str] = []
    if caught:
        count = len(caught)
        parts.append(
            f"{count} blocking call{'s' if count != 1 else ''} on the event loop "
            f"{'were' if count != 1 else 'was'} caught and swallowed by the code under test "
            "(the BlockingIOViolation never reached the test):"
        )
        parts.extend(_blocks(caught))
    if callbacks:
        count = len(callbacks)
        parts.append(
            f"{count} blocking call{'s' if count != 1 else ''} on the event loop ran in a loop "
            "callback (recorded there and the callback let finish: raised, the loop would have "
            "swallowed the error and the test could hang):"
        )
        parts.extend(_blocks(callbacks))
    return "\n\n".join(parts)


def _blocks(violations: list[Violation]) -> list[str]:
    """One block per distinct violation, in order: a retry loop that makes and swallows the
    same call three times is one block that says so, not three copies."""
    times: dict[str, int] = {}
    first: dict[str, Violation] = {}
    for violation in violations:
        key = violation.describe(swallowed=True)
        times[key] = times.get(key, 0) + 1
        first.setdefault(key, violation)
    return [first[key].describe(swallowed=True, times=times[key]) for key in times]
