"""Terminal color and width: when to use color, how wide to render, and the table shapes the
formats share.

Color is on only for a terminal: never in a pipe, a file or a CI log unless asked for.
`NO_COLOR` (https://no-color.org) turns it off, `FORCE_COLOR` on; an explicit choice from
the caller (`--color always|never`) beats both.

Width: `COLUMNS` when set (a terminal or not), else the terminal's, else 160 (a pipe, a
file, a CI log). Tables never break a path, an identifier or a number in the middle of a
line: such cells do not wrap and are cut with "…" when nothing else fits; prose cells wrap
between words. The wide tables switch to a stacked layout when their columns do not fit.
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
    from rich.text import Text

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


def terminal_width(
    stream: TextIO | None = None, default: int = 160, environ: Mapping[str, str] | None = None
) -> int:
    """`COLUMNS` if set; else the terminal's width; `default` for a pipe, a file or a CI log."""
    env = os.environ if environ is None else environ
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
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


# Column kinds (rich's own options: no hand-written wrapping):
#   "id":   paths, identifiers, names: the first columns to give up width, each value cut
#           with "…" rather than wrapped (put values with spaces, like paths, in `cell()`);
#   "num":  a number: right-aligned, never wrapped, never narrower than its header;
#   "text": prose: wrapped between words; a word longer than the column is cut with "…".
def add_column(table: Table, header: str, kind: str = "id", **options: object) -> None:
    if kind == "num":
        table.add_column(
            header,
            justify="right",
            no_wrap=True,
            min_width=len(header),
            **options,  # type: ignore[arg-type]
        )
    else:  # rich shrinks the columns that may wrap first: these, never the numbers
        table.add_column(header, overflow="ellipsis", **options)  # type: ignore[arg-type]


def cell(text: str, style: str = "") -> Text:
    """An id-like cell (one or more lines) that is cut, never folded, when too wide."""
    from rich.text import Text

    return Text(text, style=style, overflow="ellipsis", no_wrap=True)


def fits(renderable: object, width: int) -> bool:
    """Whether `renderable` fits in `width` columns without wrapping any cell."""
    from rich.console import Console

    probe = Console(width=10_000, file=io.StringIO(), color_system=None, _environ={})
    return probe.measure(renderable).maximum <= width  # type: ignore[arg-type]
