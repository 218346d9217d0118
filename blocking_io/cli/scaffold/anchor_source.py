"""The source of a runtime anchor skeleton for one entry point.

The skeleton imports the entry point, builds its arguments from the signature (a `tmp_path`
location for path-like parameters, `todo("...")` where a value must be chosen), and calls
it on the event loop. `todo()` skips the test with a reason naming what is missing, so a
fresh skeleton is honest: skipped until filled in, then a real anchor. It never touches the
gate: the pytest plugin gates every test under `anchor-paths`.
"""

from __future__ import annotations

import keyword
import re
import textwrap
from dataclasses import dataclass, field

from .entrypoints import Function, Param, is_directory, path_kind

STYLES = ("pytest-asyncio", "anyio", "asyncio-run")
RESERVED = frozenset({"pytest", "Path", "Any", "todo", "asyncio", "annotations", "tmp_path"})


def snake(name: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    name = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", name)
    return re.sub(r"_+", "_", name).strip("_").lower() or "entry"


def test_name(function: Function) -> str:
    return "test_" + "_".join(snake(part) for part in (*function.class_path, function.name))


def file_name(function: Function) -> str:
    """test_<module>_<function>.py: the last module component, classes and the function."""
    module = function.module.rsplit(".", 1)[-1]
    return f"test_{snake(module)}_{test_name(function)[5:]}.py"


@dataclass
class _Body:
    names: set[str] = field(default_factory=set)
    uses_tmp_path: bool = False
    uses_todo: bool = False

    def variable(self, wanted: str) -> str:
        name = wanted if wanted.isidentifier() and not keyword.iskeyword(wanted) else f"{wanted}_"
        name = f"{name}_" if name in RESERVED else name
        candidate, n = name, 2
        while candidate in self.names:
            candidate, n = f"{name}_{n}", n + 1
        self.names.add(candidate)
        return candidate


def _value(param: Param, owner: str, body: _Body, setup: list[str]) -> str:
    kind = path_kind(param)
    if kind is not None:
        body.uses_tmp_path = True
        var = body.variable(param.name)
        setup.append(f'{var} = tmp_path / "{param.name}"')
        if is_directory(param):
            setup.append(f"{var}.mkdir()")
        else:
            setup.append(f"# TODO: create {var} first if {owner} expects it to exist")
        return f"str({var})" if kind == "str" else var
    body.uses_todo = True
    typed = f"{param.name}: {param.annotation}" if param.annotation else param.name
    return f"todo({_quote(f'{typed} for {owner}')})"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _arguments(
    params: tuple[Param, ...], owner: str, body: _Body
) -> tuple[list[str], list[str], list[str]]:
    """(setup lines, argument sources, comment lines about optional/variadic parameters)."""
    setup: list[str] = []
    args: list[str] = []
    notes: list[str] = []
    optional = [p for p in params if p.default is not None]
    for param in params:
        if param.kind in ("var-positional", "var-keyword"):
            star = "*" if param.kind == "var-positional" else "**"
            notes.append(f"# {star}{param.name}: add extra arguments here if the caller passes any")
            continue
        if param.default is not None:
            continue
        value = _value(param, owner, body, setup)
        args.append(value if param.kind == "positional-only" else f"{param.name}={value}")
    if optional:
        shown = ", ".join(
            f"{p.name}{': ' + p.annotation if p.annotation else ''} = {p.default}" for p in optional
        )
        notes.insert(0, f"# optional (defaults used): {shown}")
    return setup, args, notes


def _call(callee: str, args: list[str], indent: str = "") -> list[str]:
    if not args:
        return [f"{callee}()"]
    one_line = f"{callee}({', '.join(args)})"
    if len(indent) + len(one_line) <= 80 and not any("todo(" in a for a in args[1:]):
        return [one_line]
    return [f"{callee}(", *(f"    {a}," for a in args), ")"]


def render(
    function: Function, style: str, scanned: list[str], command: str, review: str | None = None
) -> str:
    """The anchor module's source. `review`: a first `todo(...)` that keeps the test skipped
    until someone checked what was generated (init's example for a method)."""
    if style not in STYLES:
        raise ValueError(style)
    body = _Body()
    top = function.class_path[0] if function.class_path else function.name
    imported = top if top not in RESERVED else None
    if imported is None:
        body.names.add("target_module")
    body.names.add(top)
    ref = top if imported else f"target_module.{top}"
    owner_class = ".".join([ref, *function.class_path[1:]]) if function.class_path else None
    local = function.local_name

    lines: list[str] = []
    if review:
        body.uses_todo = True
        lines.append(f"todo({_quote(review)})")
    if function.kind in ("method", "property"):
        ctor = function.constructor
        instance = body.variable(snake(function.class_path[-1]))
        class_name = ".".join(function.class_path)
        if ctor is None or ctor.params is None:
            body.uses_todo = True
            why = ctor.origin if ctor else "its constructor was not found"
            lines.append(f"{instance} = todo({_quote(f'build a {class_name} ({why})')})")
        else:
            setup, args, notes = _arguments(ctor.params, f"{class_name}(...)", body)
            lines.extend(setup)
            if ctor.params:
                lines.append(f"# {class_name}(...): the parameters of {ctor.origin}")
            lines.extend(notes)
            call = _call(str(owner_class), args)
            lines.extend([f"{instance} = {call[0]}", *call[1:]])
        callee = f"{instance}.{function.name}"
    elif function.kind in ("classmethod", "staticmethod"):
        callee = f"{owner_class}.{function.name}"
    else:
        callee = ref
    setup, args, notes = _arguments(function.params, f"{local}(...)", body)
    if lines and (setup or notes):
        lines.append("")
    lines.extend([*setup, *notes])
    awaited = "await " if function.is_async else ""
    call = [callee] if function.kind == "property" else _call(callee, args)
    if function.is_generator:
        loop = "async for" if function.is_async else "for"
        lines.append(f"{loop} _item in {call[0]}")
        lines.extend(call[1:])
        lines[-1] += ":"
        lines.append("    break  # TODO: consume as much as the caller does, and check the items")
    else:
        lines.append(f"{awaited}{call[0]}")
        lines.extend(call[1:])
        lines.append(
            f"# TODO: keep the result and assert on what a caller of {local} sees "
            "(the response, the rows, the files)"
        )
    if not function.is_async:
        lines.insert(
            0,
            f"# {local} is synchronous and runs on the event loop (a callback or a "
            "framework hook): calling it from this coroutine runs it there, as the loop does",
        )

    return _module_source(function, style, scanned, command, lines, body, imported, ref)


def _module_source(
    function: Function,
    style: str,
    scanned: list[str],
    command: str,
    lines: list[str],
    body: _Body,
    imported: str | None,
    ref: str,
) -> str:
    what = {
        "function": "async function" if function.is_async else "function the loop calls",
        "method": "async method" if function.is_async else "method the loop calls",
        "classmethod": "class method",
        "staticmethod": "static method",
        "property": "property",
    }[function.kind]
    modules = ", ".join(scanned) or "the project's"
    doc = [
        f'"""Runtime anchor for {function.qualname}.',
        "",
        *_fill(
            f"The {what} at {function.path}:{function.line}. Generated by `{command}`. "
            "It lives in an anchor folder (`anchor-paths` of [tool.blocking-io]), so it runs "
            f"under the blocking-io runtime gate: a blocking call that {modules} code makes "
            "on the event loop while it runs fails it. Nothing here touches the gate."
        ),
        "",
        "To finish it:",
    ]
    if body.uses_todo:
        doc += _fill(
            "- replace each `todo(...)` with a real value (until then the test is skipped, "
            "naming what is missing);",
            hanging="  ",
        )
    doc += _fill(
        "- drive the path the gap report names (`blocking-io gaps`) and assert on what a "
        "caller sees: an anchor guards only the lines it runs.",
        hanging="  ",
    )
    doc.append('"""')
    imports = ["from __future__ import annotations", ""]
    stdlib = []
    if style == "asyncio-run":
        stdlib.append("import asyncio")
    if body.uses_tmp_path:
        stdlib.append("from pathlib import Path")
    if body.uses_todo:
        stdlib.append("from typing import Any")
    if stdlib:
        imports += [*stdlib, ""]
    if body.uses_todo or style != "asyncio-run":
        imports += ["import pytest", ""]
    if imported:
        imports.append(f"from {function.module} import {imported}")
    else:
        imports.append(f"import {function.module} as target_module")
    out = [*doc, "", *imports, ""]
    if body.uses_todo:
        out += [
            "",
            "def todo(what: str) -> Any:",
            '    """A value still to choose: skips the test, naming it, until filled in."""',
            '    pytest.skip(f"TODO: {what}")',
            "",
        ]
    signature = "tmp_path: Path" if body.uses_tmp_path else ""
    name = test_name(function)
    out.append("")
    if style == "asyncio-run":
        out.append(f"def {name}({signature}) -> None:")
        out.append("    async def scenario() -> None:")
        out.extend(_indented(lines, " " * 8))
        out.append("")
        out.append("    asyncio.run(scenario())")
    else:
        out.append("@pytest.mark.asyncio" if style == "pytest-asyncio" else "@pytest.mark.anyio")
        out.append(f"async def {name}({signature}) -> None:")
        out.extend(_indented(lines, " " * 4))
    return "\n".join(out) + "\n"


WIDTH = 88


def _fill(text: str, hanging: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, subsequent_indent=hanging, break_on_hyphens=False)


def _indented(lines: list[str], indent: str) -> list[str]:
    """Code lines indented; comment lines also wrapped to the width."""
    out: list[str] = []
    for line in lines:
        if not line:
            out.append("")
        elif line.startswith("# ") and len(indent) + len(line) > WIDTH:
            wrapped = textwrap.wrap(
                line[2:], WIDTH - len(indent) - 2, break_on_hyphens=False, break_long_words=False
            )
            out.extend(f"{indent}# {part}" for part in wrapped)
        else:
            out.append(f"{indent}{line}")
    return out


def example_skeleton(packages: list[str], command: str) -> str:
    """`init`'s example when the project has no async function to anchor yet."""
    names = ", ".join(packages) or "the project"
    return f'''"""Example runtime anchor: a skeleton, skipped until you write it.

`blocking-io init` found no async function in {names} to call here. A runtime anchor is
a test in an anchor folder (`anchor-paths` of [tool.blocking-io]) that drives a real async
entry point of the service on the event loop; the blocking-io runtime gate fails it when
{names} code makes a blocking call on the loop. Generate one for an entry point with

    {command}
"""

from __future__ import annotations

import pytest


@pytest.mark.skip(reason="TODO: no async entry point found yet; see this file's docstring")
def test_example() -> None:
    """Replace with an async test that calls one of your async entry points."""
'''
