"""Turn a pydantic ValidationError into one line a user can act on."""

from __future__ import annotations

import difflib
import reprlib

from pydantic import BaseModel, ValidationError

# Values quoted in a message: a corrupt file can hold a megabyte string or a deep structure,
# and the message must stay one readable line.
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = 3
_SHORT.maxlevel = 2
_SHORT_LIMIT = 80


def short_repr(value: object) -> str:
    """`repr(value)`, cut to a readable length (one line: repr escapes newlines)."""
    text = _SHORT.repr(value)
    return text if len(text) <= _SHORT_LIMIT else text[: _SHORT_LIMIT - 3] + "..."


_EXPECTED = {
    "list_type": "a list",
    "tuple_type": "a list",
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "float_type": "a number",
}


def _location(prefix: str, loc: tuple[int | str, ...]) -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isprintable() and not any(c.isspace() for c in part) and len(part) <= 80:
            out += f".{part}"
        else:  # a key of a data table (a report's `functions`): quoted, never a line break
            out += f"[{short_repr(part)}]"
    return out


def describe_validation_error(
    exc: ValidationError, prefix: str, model: type[BaseModel] | None = None
) -> str:
    """`prefix.key[0].sub: what was expected` for the first error of `exc`."""
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if p not in ("function-after", "function-before"))
    where = _location(prefix, loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        hint = ""
        if model is not None and len(loc) == 1:
            keys = sorted(f.alias or name for name, f in model.model_fields.items())
            close = difflib.get_close_matches(str(loc[0]).replace("_", "-"), keys, n=1)
            if close:  # a typo: name the key that was meant, as ruff does
                hint = f"; did you mean {close[0]!r}?"
            else:
                hint = f" (expected one of: {', '.join(keys)})"
        return f"{where}: unknown key{hint}"
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind in _EXPECTED:
        got = type(err.get("input")).__name__
        return f"{where}: expected {_EXPECTED[kind]}, got {_toml_type(got)}"
    if kind == "literal_error" or kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        value = err.get("input")
        scalar = value is None or isinstance(value, (str, int, float))
        got = short_repr(value) if scalar else _toml_type(type(value).__name__)
        return f"{where}: got {got}, expected {expected}"
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {' '.join(message.split())}"


def _toml_type(python_type: str) -> str:
    return {
        "str": "a string",
        "int": "an integer",
        "float": "a number",
        "bool": "a boolean",
        "list": "a list",
        "dict": "a table",
    }.get(python_type, python_type)
