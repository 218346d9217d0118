"""Schema of the rule registry: what a blocking primitive is, for both detectors."""

# No `from __future__ import annotations` here, nor in knowledge, kb, reports and config:
# pydantic reads each field's annotation when a model class is made, and a string one
# costs a compile and an eval (a third of the time these modules take to import).
import enum
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

RULE_ID = re.compile(r"^[A-Z]{2,5}\d{3}$")
# `arg1~WNOHANG`: positional arg 1 has the flag WNOHANG; `kw:blocking=False`: keyword equals
# a literal. Parsed once, into ArgCondition, when the rules are validated.
NONBLOCKING = re.compile(
    r"^(?:arg(?P<position>\d+)|kw:(?P<keyword>[A-Za-z_]\w*))"
    r"(?:=(?P<literal>False|True|None|-?\d+(?:\.\d+)?|'[^']*')|~(?P<flag>[A-Za-z_]\w*)|(?P<buffer>@buffer))$"
)
_LITERALS: dict[str, bool | None] = {"False": False, "True": True, "None": None}
SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.\*)?$")


class Severity(str, enum.Enum):
    low = "low"
    medium = "medium"
    high = "high"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def rank_of(cls, text: str) -> int:
        """3 high .. 1 low; 0 for a severity this version does not know (a newer report)."""
        try:
            return cls(text).rank
        except ValueError:
            return 0

    @classmethod
    def ordered(cls) -> tuple[str, ...]:
        """The severities, highest first (output order)."""
        return tuple(s.value for s in sorted(cls, key=lambda s: -s.rank))

    @classmethod
    def parse(cls, text: str) -> "Severity":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: {', '.join(s.value for s in cls)})"
            ) from None


_SEVERITY_RANK = {Severity.low: 1, Severity.medium: 2, Severity.high: 3}

Category = Literal[
    "file-open",
    "file-read",
    "file-write",
    "file-metadata",
    "file-enumeration",
    "file-delete",
    "file-copy-move",
    "stdin",
    "subprocess",
    "sleep",
    "lock",
    "sync-wait",
    "network",
    "dns",
    "http-client",
    "database",
    "sdk",
    "cpu",
    "device",
    "other",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class RuntimeSpec(_Strict):
    """How the runtime gate intercepts a primitive.

    blockbuster: Blockbuster's own function keys catch it.
    patch:       the gate patches `keys` (dotted attribute paths) itself.
    none:        nothing intercepts it at run time; `reason` says why (the rule is
                 "runtime-blind" and the gap report says so).
    """

    mode: Literal["blockbuster", "patch", "none"]
    keys: tuple[str, ...] = ()
    reason: str | None = None

    @model_validator(mode="after")
    def _check(self) -> "RuntimeSpec":
        if self.mode == "none" and not self.reason:
            raise ValueError("runtime mode 'none' needs a 'reason'")
        if self.mode != "none" and not self.keys:
            raise ValueError(f"runtime mode {self.mode!r} needs 'keys'")
        for key in self.keys:
            if not SYMBOL.match(key) or key.endswith(".*"):
                raise ValueError(f"runtime key {key!r} is not a dotted attribute path")
        return self

    @property
    def intercepted(self) -> bool:
        return self.mode != "none"


class ArgCondition(_Strict):
    """An argument pattern under which a call cannot block (a target's `nonblocking_if`).

    `position` (0-based, not counting `self`) or `keyword` names the argument; it either
    carries the named `flag` (`os.WNOHANG` set in `options`), equals `literal`, or is an
    in-memory `buffer` (a `[buffers]` class of types.toml: `json.dump(obj, io.StringIO())`).
    Written in the data as `arg1~WNOHANG`, `kw:blocking=False`, `arg0=0`, `kw:fp@buffer`;
    both detectors read this (the runtime gate needs none of it: a buffer does no IO there).
    """

    position: int | None = None
    keyword: str | None = None
    flag: str | None = None
    literal: bool | int | float | str | None = None
    buffer: bool = False

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        found = NONBLOCKING.match(value)
        if not found:
            raise ValueError(
                f"nonblocking_if {value!r} must look like 'arg1~WNOHANG', 'kw:blocking=False' "
                "'kw:fp@buffer' or \"arg0='name'\""
            )
        parts = found.groupdict()
        literal: bool | int | float | str | None = None
        if parts["literal"] is not None:
            text = parts["literal"]
            if text.startswith("'"):
                literal = text[1:-1]  # a string: `arg0='main_process_start'`
            else:
                literal = (
                    _LITERALS[text]
                    if text in _LITERALS
                    else (float(text) if "." in text else int(text))
                )
        return {
            "position": int(parts["position"]) if parts["position"] is not None else None,
            "keyword": parts["keyword"],
            "flag": parts["flag"],
            "literal": literal,
            "buffer": parts["buffer"] is not None,
        }

    @model_serializer
    def _notation(self) -> str:
        return str(self)

    def __str__(self) -> str:
        where = f"arg{self.position}" if self.keyword is None else f"kw:{self.keyword}"
        if self.buffer:
            return f"{where}@buffer"
        return f"{where}~{self.flag}" if self.flag else f"{where}={self.literal!r}"

    def equals(self, value: object) -> bool:
        """The literal comparison of `arg0=0` / `kw:blocking=False` (True is not 1 here)."""
        return (
            self.flag is None
            and not self.buffer
            and value == self.literal
            and isinstance(value, bool) == isinstance(self.literal, bool)
        )


class Target(_Strict):
    """One fully qualified callable. `Class.*` means every method except `except_`.

    `nonblocking_if`: argument patterns under which the call cannot block (`arg1~WNOHANG`,
    `kw:blocking=False`, `arg0=0`); the static detector skips such calls.
    `message`: this target's own message when the rule's would not be true of it
    (`subprocess.Popen` starts a process and returns; it does not wait for it to exit).
    """

    symbol: str
    lazy: bool = False
    except_: tuple[str, ...] = Field(default=(), alias="except")
    nonblocking_if: tuple[ArgCondition, ...] = ()
    runtime: RuntimeSpec | None = None
    message: str | None = None

    @field_validator("message")
    @classmethod
    def _message(cls, value: str | None) -> str | None:
        return None if value is None else _check_message(value)

    @field_validator("symbol")
    @classmethod
    def _symbol(cls, value: str) -> str:
        if not SYMBOL.match(value) or "." not in value:
            raise ValueError(
                f"target {value!r} is not a fully qualified name like 'module.func' or 'module.Class.method'"
            )
        return value

    @property
    def is_wildcard(self) -> bool:
        return self.symbol.endswith(".*")

    @property
    def owner(self) -> str:
        """For `pkg.Class.*`: `pkg.Class`; otherwise the part before the last dot."""
        return self.symbol.rsplit(".", 1)[0]


def _check_message(value: str) -> str:
    try:
        value.format(symbol="x")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"message may only use the {{symbol}} placeholder ({exc})") from None
    return value


def _coerce_target(value: Any) -> Any:
    return {"symbol": value} if isinstance(value, str) else value


TargetField = Annotated[Target, Field()]


class Rule(_Strict):
    id: str
    name: str
    category: Category
    severity: Severity
    title: str
    message: str
    fix: str
    why: str = ""
    example: str = ""
    example_fix: str = ""
    default: bool = True
    requires: str | None = None
    # the primitive caches what it does for the process (a first import, mimetypes' tables):
    # it blocks on a first call at each place, with impact "once"
    once: bool = False
    runtime: RuntimeSpec
    targets: tuple[TargetField, ...]

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"rule id {value!r} must look like 'BIO123' (2-5 capitals, 3 digits)")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value):
            raise ValueError(f"rule name {value!r} must be a lower-case slug like 'path-read'")
        return value

    @field_validator("targets", mode="before")
    @classmethod
    def _targets(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError("a rule needs at least one target")
            return [_coerce_target(v) for v in value]
        return value

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        return _check_message(value)

    def runtime_for(self, target: Target) -> RuntimeSpec:
        return target.runtime or self.runtime

    @property
    def runtime_coverage(self) -> Literal["full", "partial", "none"]:
        flags = [self.runtime_for(t).intercepted for t in self.targets]
        if all(flags):
            return "full"
        return "partial" if any(flags) else "none"

    def render_message(self, symbol: str) -> str:
        for target in self.targets:  # a target's own message, when it has one
            if target.message is not None and target.symbol == symbol:
                return target.message.format(symbol=symbol)
        return self.message.format(symbol=symbol)
