"""How `--help` shows options: the command and group classes every `blocking-io` command uses.

typer's help prints a type for every option, flags included (`--exit-zero <bool>`, as if it
took a value), and folds a long list of choices in the middle of a word (`git hub`) when
the type column is narrow. Here, as ruff and click print them:

- a flag shows no type;
- an option with choices shows a name (`--format FORMAT`) and its help ends with
  `[possible values: text, summary, ...]`, which wraps between values like any text.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup


def _tidy(param: Any) -> None:
    if getattr(param, "_blocking_io_tidied", False):
        return
    param._blocking_io_tidied = True
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        if param.metavar is None:
            param.metavar = ""  # typer prints the metavar instead of the type: nothing
        return
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) if descriptor is not None else None
    if not getattr(descriptor, "is_choice", False) or not choices:
        return
    values = [str(getattr(choice, "value", choice)) for choice in choices]
    if param.metavar is None:
        longest = max(param.opts, key=len) if param.opts else param.name or "value"
        name = longest.lstrip("-").upper()
        param.metavar = f"{name}..." if param.multiple else name
    # `\\[`: rich would take `[possible values: ...]` for markup and print nothing
    listed = f"\\[possible values: {', '.join(values)}]"
    param.help = f"{param.help} {listed}" if param.help else listed


class Command(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _tidy(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _tidy(option)
        return option


class Group(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _tidy(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            _tidy(option)
        return option
