"""Turn a pydantic ValidationError into one line a user can act on."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError

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
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
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
            hint = f" (expected one of: {', '.join(keys)})"
        return f"{where}: unknown key{hint}"
    if kind == "missing":
        return f"{where}: required key is missing"
    if kind in _EXPECTED:
        got = type(err.get("input")).__name__
        return f"{where}: expected {_EXPECTED[kind]}, got {_toml_type(got)}"
    if kind == "literal_error" or kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{where}: got {err.get('input')!r}, expected {expected}"
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def _toml_type(python_type: str) -> str:
    return {
        "str": "a string",
        "int": "an integer",
        "float": "a number",
        "bool": "a boolean",
        "list": "a list",
        "dict": "a table",
    }.get(python_type, python_type)
