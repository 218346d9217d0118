"""The three JSON contracts between the parts (DESIGN.md): findings, anchors, gaps.

Each model has a `schema` version; `dump_report` writes atomically with stable key order,
`load_report` rejects a corrupt or wrong-version file with one clear line.
"""

# No `from __future__ import annotations`: see models.py.
import enum
import json
import re
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .atomic import write_atomic
from .errors import InputError
from .models import Severity
from .report_dir import mark_report_dir
from .validation import describe_validation_error, short_repr

FINDINGS_SCHEMA: Final = "blocking-io/findings/2"
ANCHORS_SCHEMA: Final = "blocking-io/anchors/2"
GAPS_SCHEMA: Final = "blocking-io/gaps/1"
TEETH_SCHEMA: Final = "blocking-io/teeth/1"


class Exposure(str, enum.Enum):
    """How a finding's primitive runs on the loop."""

    def __str__(self) -> str:  # the JSON value, in text and f-strings on every Python
        return self.value

    DIRECT = "direct"  # in an async function's own body
    TRANSITIVE = "transitive"  # through sync calls from an async function
    LOOP_CALLBACK = "loop-callback"  # in sync code the loop runs (a callback, a hook)


GapStatus = Literal["guarded", "entry-anchored", "unguarded", "runtime-blind", "failing"]
TeethOutcome = Literal["has-teeth", "toothless", "unexercised"]


class _Model(BaseModel):
    # NaN / infinity would be written as `null` and not read back
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, allow_inf_nan=False, defer_build=True
    )


class Impact(str, enum.Enum):
    """How often a finding blocks the loop, most often first (docs/impact.md)."""

    REQUEST = "request"  # per request, message or event
    BACKGROUND = "background"  # a background task or periodic job
    LIFECYCLE = "lifecycle"  # start-up or shut-down
    ONCE = "once"  # a lazy initialisation: the first call
    SCRIPT = "script"  # a script or a private loop, not the service's

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for the most frequent (request) .. 4 (script)."""
        return list(Impact).index(self)

    @classmethod
    def parse(cls, text: str) -> "Impact":
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(
                f"unknown impact {text!r} (expected one of: {', '.join(i.value for i in cls)})"
            ) from None


def priority(severity_rank: int, impact: Impact) -> int:
    """P1 (fix first) .. P4: a severe primitive on a frequent path first. High severity per
    request is P1; medium per request, or high in a background task or at start-up, P2; ...;
    a script's or a private loop's is P4 (docs/impact.md)."""
    step = {
        Impact.REQUEST: 1,
        Impact.BACKGROUND: 2,
        Impact.LIFECYCLE: 2,
        Impact.ONCE: 3,
        Impact.SCRIPT: 4,
    }[impact]
    return max(1, min(4, 3 - severity_rank + step))


class ToolInfo(_Model):
    name: str = "blocking-io"
    version: str


# -- findings (static detector) ---------------------------------------------------------


class ChainStep(_Model):
    """One step of a call chain (a function, where it calls the next step), in a finding's
    chain, an offload's, and a runtime violation's frames: the one record of a step."""

    model_config = ConfigDict(frozen=True)

    function: str
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}"


class LockHolder(_Model):
    """Who holds a thread lock the loop takes, while blocking: why taking it can wait."""

    lock: str  # where the lock lives: `pkg.mod.Cache._lock`, `pkg.mod._LOCK`
    chain: list[ChainStep]  # the holder function -> ... -> the primitive it runs


class Suppression(_Model):
    by: str  # e.g. "# blocking-io: ignore[BIO102]" or "baseline"
    reason: str


class Reached(_Model):
    """Another primitive that a finding's place reaches, listed on it instead of being a
    finding of its own: a second rule reached through the same call, or a method of the
    object that the reported call made (`with open(p) as fh: fh.write(x)`: the `write`)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    symbol: str
    line: int | None = None  # an object use: the line of the method call (same file)

    def __str__(self) -> str:
        where = f" at line {self.line}" if self.line is not None else ""
        return f"{self.rule} `{self.symbol}`{where}"


class Finding(_Model):
    """One place on the loop that reaches a blocking primitive. Lines and columns are
    1-based (columns count characters; `end_column` is exclusive), as editors, ruff and
    SARIF count them (schema 2; schema 1 had 0-based columns)."""

    fingerprint: str
    rule: str
    severity: str
    category: str
    symbol: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    function: str
    function_span: tuple[int, int]
    entrypoints: list[str]
    exposure: Exposure
    chain: list[ChainStep]
    code: str
    message: str
    fix: str
    suppressed: Suppression | None = None
    # first line of the statement holding the call (line coverage reports that line)
    statement_line: int | None = None
    impact: Impact = Impact.REQUEST
    holder: LockHolder | None = None  # thread-lock findings: the holder that blocks
    # a lazy initialisation is reported once, at its first loop-side place: the others
    other_entries: list[ChainStep] = Field(default_factory=list)
    also: list[Reached] = Field(default_factory=list)  # listed here, not reported on their own

    @property
    def priority(self) -> int:
        """1 (fix first) .. 4, from severity and impact (docs/impact.md)."""
        return priority(Severity.rank_of(self.severity), self.impact)


class FunctionInfo(_Model):
    path: str
    span: tuple[int, int]
    async_: bool = Field(alias="async")


class ErrorEntry(_Model):
    path: str
    line: int | None = None
    kind: str
    message: str


class Offload(_Model):
    """An offload site: a call that hands a callable to a thread (issue: teeth check)."""

    fingerprint: str
    path: str
    line: int
    column: int
    function: str  # the enclosing function
    api: str  # e.g. asyncio.to_thread
    target: str | None  # qualname or symbol of what it offloads (None: unresolved)
    reaches: list[str]  # rule ids the offloaded work reaches (transitively)
    chain: list[ChainStep]
    statement_line: int | None = None


class UnusedSuppression(_Model):
    path: str
    line: int
    rules: list[str]


class EnvironmentInfo(_Model):
    """The Python environment whose installed libraries the scan followed calls into."""

    source: str  # how it was found: "--python", "VIRTUAL_ENV", ".venv", "poetry", ...
    python: str | None  # its interpreter; None: none usable (see the report's warnings)
    version: str = ""
    libraries_summarized: int = 0  # library modules this scan summarised
    libraries_cached: int = 0  # ... and took from the user-level cache

    def describe(self) -> str:
        """`.venv (Python 3.11.7, /srv/app/.venv/bin/python)`, for the summaries."""
        if self.python is None:
            return f"none ({self.source} unusable; installed libraries not followed)"
        return f"{self.source} (Python {self.version}, {self.python})"


class Stats(_Model):
    files: int
    lines: int
    seconds: float
    cache_hits: int
    environment: EnvironmentInfo | None = None


class Library(_Model):
    """The installed distribution a library file of a chain belongs to."""

    name: str
    version: str = ""

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class FindingsReport(_Model):
    schema_: Literal["blocking-io/findings/2"] = Field(FINDINGS_SCHEMA, alias="schema")
    tool: ToolInfo
    root: str
    config_hash: str
    rules_hash: str
    findings: list[Finding]
    functions: dict[str, FunctionInfo]
    offloads: list[Offload] = Field(default_factory=list)
    unused_suppressions: list[UnusedSuppression] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict)  # path -> sha256 of the scanned source
    errors: list[ErrorEntry]
    stats: Stats
    # installed-library files in the chains (`site-packages/botocore/client.py`) -> their
    # distribution; a chain step whose path is here is inside that library
    libraries: dict[str, Library] = Field(default_factory=dict)
    # what did not stop the scan: an unusable environment, an unreadable library file
    warnings: list[ErrorEntry] = Field(default_factory=list)


# -- anchors (runtime gate) -------------------------------------------------------------


class Anchor(_Model):
    test: str
    outcome: str  # passed | failed | skipped | error
    executed: dict[str, list[int]]


class Violation(_Model):
    test: str
    rule: str
    symbol: str
    path: str
    line: int
    function: str
    swallowed: bool


class MissingResults(_Model):
    """A test process whose results never reached the report (a pytest-xdist worker that
    crashed): the anchors and violations of the tests it ran are missing."""

    worker: str  # e.g. "gw0"
    reason: str  # e.g. "worker 'gw0' crashed while running 'tests/x.py::test_y'"
    tests: list[str]  # the gated tests it ran (as far as the controller saw), the crashed one too


class AnchorsReport(_Model):
    """anchors/2: `incomplete` added (anchors/1 reports are refused: regenerate them)."""

    schema_: Literal["blocking-io/anchors/2"] = Field(ANCHORS_SCHEMA, alias="schema")
    tool: ToolInfo | None = None
    root: str | None = None
    rules_hash: str | None = None
    scanned_modules: list[str]
    files: dict[str, str] = Field(default_factory=dict)  # path -> sha256 when recorded
    anchors: list[Anchor]
    violations: list[Violation]
    # teeth check: reverted offload site ("path:line") -> tests in which it ran inline
    reverted: dict[str, list[str]] = Field(default_factory=dict)
    # results that never arrived: empty when the report is whole. A report with any is
    # incomplete: no finding may be called guarded (or unguarded) from it
    incomplete: list[MissingResults] = Field(default_factory=list)


# -- gaps (coverage-gap report) ---------------------------------------------------------


class GapFinding(_Model):
    fingerprint: str
    rule: str
    severity: str
    path: str
    line: int
    function: str
    entrypoints: list[str]
    status: GapStatus
    anchors: list[str]


class SuggestedAnchor(_Model):
    entrypoint: str
    path: str
    line: int
    unguarded: int
    score: int
    max_severity: str
    findings: list[str]  # fingerprints
    command: str  # the `blocking-io anchor new ...` command that scaffolds it
    entry_anchored: int = 0  # of `findings`: already reached by an anchor (add a case)


class StaleFile(_Model):
    path: str
    report: Literal["findings", "anchors", "both"]
    reason: str
    findings: list[str] = Field(default_factory=list)  # fingerprints left unclassified


class TeethSite(_Model):
    fingerprint: str
    path: str
    line: int
    function: str
    api: str
    target: str | None
    reaches: list[str]
    outcome: TeethOutcome
    anchors: list[str]  # the anchors that went red (has-teeth) or ran it (toothless)


class TeethReport(_Model):
    schema_: Literal["blocking-io/teeth/1"] = Field(TEETH_SCHEMA, alias="schema")
    tool: ToolInfo
    sites: list[TeethSite]
    seconds: float


class GapsReport(_Model):
    schema_: Literal["blocking-io/gaps/1"] = Field(GAPS_SCHEMA, alias="schema")
    tool: ToolInfo
    summary: dict[str, int]
    findings: list[GapFinding]
    suggested_anchors: list[SuggestedAnchor]
    idle_anchors: list[str] = Field(default_factory=list)  # passed, reach no finding
    failing_anchors: list[str] = Field(default_factory=list)  # failed or errored
    stale: list[StaleFile] = Field(default_factory=list)
    unmatched_violations: list[Violation] = Field(default_factory=list)  # no finding explains
    warnings: list[str] = Field(default_factory=list)
    teeth: list[TeethSite] = Field(default_factory=list)


Report = TypeVar("Report", bound=_Model)

_SCHEMAS: dict[type[BaseModel], str] = {
    FindingsReport: FINDINGS_SCHEMA,
    AnchorsReport: ANCHORS_SCHEMA,
    GapsReport: GAPS_SCHEMA,
    TeethReport: TEETH_SCHEMA,
}


def report_json(report: BaseModel) -> str:
    """Deterministic JSON (field order from the model, dict keys as built), newline-terminated.

    pydantic's own (Rust) serializer: the stdlib encoder falls back to pure Python when
    indenting, which took most of a warm re-run on large projects."""
    return report.model_dump_json(by_alias=True, indent=2) + "\n"


def dump_report(report: BaseModel, path: Path) -> None:
    """Write a report atomically; its directory (the report dir) is marked as one that
    version control and backups skip (see report_dir.py)."""
    mark_report_dir(Path(path).parent)
    write_atomic(path, report_json(report))


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


# Where a surrogate (U+D800-U+DFFF, valid only as half of a UTF-16 pair) can come from: a
# `\uD800` escape, or UTF-8-encoded surrogate bytes (json.loads decodes "surrogatepass").
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _may_hold_surrogates(text: str | bytes) -> bool:
    if isinstance(text, str):
        return bool(_SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text))
    if b"\x00" in text[:4]:  # UTF-16 or UTF-32, which json.loads accepts too
        return True
    return bool(_SURROGATE_BYTES.search(text))


def _lone_surrogate(data: Any) -> str | None:
    """The first string (or key) that is not valid Unicode text: a report made of it could be
    read but never written again, nor printed."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            return item
    return None


def load_json(
    text: str | bytes, path: str | Path, corrupt: str, undecodable: str = "not a UTF-8 JSON file"
) -> Any:
    """`json.loads` for our JSON files: whatever the bytes, the result is JSON data or an
    InputError `path: <corrupt>: what is wrong` (never RecursionError, ValueError, ...)."""
    try:
        data: Any = json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError(undecodable, path) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{corrupt}: invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})", path
        ) from None
    except _NotJson as exc:
        raise InputError(f"{corrupt}: {exc}", path) from None
    except RecursionError:
        raise InputError(f"{corrupt}: nested too deeply", path) from None
    except ValueError as exc:  # an integer over the int max-str-digits limit
        raise InputError(f"{corrupt}: {str(exc).partition(':')[0]}", path) from None
    if _may_hold_surrogates(text):  # walking every string costs: only on suspicion
        bad = _lone_surrogate(data)
        if bad is not None:
            raise InputError(
                f"{corrupt}: a string with an unpaired surrogate ({short_repr(bad)})", path
            )
    return data


def parse_report(text: str | bytes, model: type[Report], path: str | Path) -> Report:
    expected = _SCHEMAS[model]
    data = load_json(text, path, "corrupt report")
    if not isinstance(data, dict) or "schema" not in data:
        raise InputError(f"not a blocking-io report (no 'schema' key; expected {expected!r})", path)
    if data["schema"] != expected:
        raise InputError(
            f"wrong report schema {short_repr(data['schema'])} (expected {expected!r}; "
            "regenerate the report)",
            path,
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            "corrupt report: " + describe_validation_error(exc, "report"), path
        ) from None


def load_report(path: Path, model: type[Report]) -> Report:
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("report not found", path) from None
    except OSError as exc:
        raise InputError(f"cannot read report: {exc.strerror or exc}", path) from None
    return parse_report(raw, model, path)
