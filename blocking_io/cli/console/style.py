"""Terminal color: when to use it, and the few styles the formats share.

Color is on only for a terminal: never in a pipe, a file or a CI log unless asked for.
`NO_COLOR` (https://no-color.org) turns it off, `FORCE_COLOR` on; an explicit choice from
the caller beats both.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}

_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}


def use_color(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether output written to `stream` (default stdout) should be colored."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", ""):
        return True
    if env.get("TERM") == "dumb":
        return False
    target = sys.stdout if stream is None else stream
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def terminal_width(stream: TextIO | None = None, default: int = 160) -> int:
    """The terminal's width for a terminal; `default` for a pipe, a file or a CI log."""
    target = sys.stdout if stream is None else stream
    isatty = getattr(target, "isatty", None)
    if isatty and isatty():
        try:
            return os.get_terminal_size(target.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return default
    return default


def paint(text: str, style: str | None, color: bool) -> str:
    """`text` wrapped in ANSI codes for `style` ("bold red"), or unchanged without color."""
    if not color or not style:
        return text
    codes = ";".join(_SGR[word] for word in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"


def capture_console(buffer: io.StringIO, *, color: bool, width: int) -> Console:
    """A rich console that renders into `buffer`, ignoring the environment (deterministic)."""
    from rich.console import Console  # rich costs ~50 ms to import: only when rendering

    return Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
        soft_wrap=False,
        _environ={},
    )


def section_table(title: str) -> Table:
    """The borderless, left-titled table every summary section uses (detect, gaps)."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        header_style="bold",
        pad_edge=False,
    )
