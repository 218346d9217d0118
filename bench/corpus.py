"""The labelled corpus (tests/corpus): parse the expectations written in the source.

A case is one source file (tests/corpus/<group>/<name>.py) or one package directory
(tests/corpus/projects/<name>/, scanned as its own project, optionally with a pyproject.toml).
Every file starts with `# feature: <id>`; single-file cases may add `# config: key = value`
lines ([tool.blocking-io] TOML), and a file in syntax of a newer Python `# python: 3.12`
(on an older interpreter the case cannot be parsed: it is left out, `Corpus.skipped`).
At the end of a line:

    # expect: BIO102, BIO106      findings that must be reported on this line
    # expect-suppressed: BIO102   a finding that must be reported with `suppressed` set
    # ok: <why>                   a must-not-flag case
    # listed: BIO105              a method of an object that a finding in this function made
                                  (`fh.write` after `with open(p) as fh`): not a finding of
                                  its own, listed in that finding's `also`

Every other line must have no finding either. Annotations are read from comment tokens only,
so a `# expect:` inside a string is never an expectation.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blocking_io.shared_rules import tomlio
from blocking_io.shared_rules.errors import InputError

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus"
PACKAGE_GROUP = "projects"  # tests/corpus/projects/<case>/ are multi-module package cases
HEADER_LINES = 10  # `# feature:` and `# config:` must be in the leading comment block

_DIRECTIVE = re.compile(
    r"^#\s*(feature|config|python|expect-suppressed|expect|listed|ok)\s*:\s*(.*?)\s*$"
)
_VERSION = re.compile(r"^3\.(\d+)$")
_RULE_ID = re.compile(r"^[A-Z]{2,5}\d{3}$")


@dataclass(frozen=True)
class CorpusFile:
    """One annotated source file. `rel` is the posix path relative to the corpus root."""

    rel: str
    feature: str
    expect: dict[int, frozenset[str]]  # line -> rules reported unsuppressed
    suppressed: dict[int, frozenset[str]]  # line -> rules reported with `suppressed` set
    ok: dict[int, str]  # line -> why it must not be flagged
    config_lines: tuple[str, ...] = ()
    listed: dict[int, frozenset[str]] = field(default_factory=dict)  # line -> rules in `also`
    python: tuple[int, int] = (3, 0)  # the Python its syntax needs (`# python: 3.12`)

    def expected_keys(self) -> set[tuple[int, str]]:
        return {(line, rule) for line, rules in self.expect.items() for rule in rules}

    def suppressed_keys(self) -> set[tuple[int, str]]:
        return {(line, rule) for line, rules in self.suppressed.items() for rule in rules}

    def listed_keys(self) -> set[tuple[int, str]]:
        return {(line, rule) for line, rules in self.listed.items() for rule in rules}

    def scored_keys(self) -> set[tuple[int, str]]:
        """What a tool is scored on: blocking calls, reported or listed on their maker."""
        return self.expected_keys() | self.listed_keys()


@dataclass(frozen=True)
class Case:
    """What the detector scans as one project: a single file or a package directory."""

    name: str  # e.g. "analysis/offload_to_thread" or "projects/agent_tools"
    path: Path
    files: dict[str, CorpusFile]  # project-relative posix path -> file
    config: dict[str, Any] = field(default_factory=dict)  # the case's [tool.blocking-io] keys

    @property
    def is_package(self) -> bool:
        return self.path.is_dir()

    @property
    def module_names(self) -> set[str]:
        """Top-level import names the case defines (its stem, or its packages and modules)."""
        return {Path(rel).parts[0].removesuffix(".py") for rel in self.files}


@dataclass
class Corpus:
    cases: list[Case]
    problems: list[str]  # well-formedness errors, one line each, naming the file
    skipped: list[str] = field(default_factory=list)  # cases this Python cannot parse

    @property
    def files(self) -> list[CorpusFile]:
        return [f for case in self.cases for f in case.files.values()]

    def file(self, rel: str) -> CorpusFile | None:
        for f in self.files:
            if f.rel == rel:
                return f
        return None

    def count_expected(self) -> int:
        """Expected (unsuppressed) findings: (file, line, rule) triples."""
        return sum(len(f.scored_keys()) for f in self.files)

    def count_suppressed(self) -> int:
        return sum(len(f.suppressed_keys()) for f in self.files)

    def count_ok(self) -> int:
        return sum(len(f.ok) for f in self.files)


class AnnotationError(ValueError):
    pass


def _comments(source: str) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]


def _rules(text: str, line: int) -> frozenset[str]:
    rules = [part.strip() for part in text.split(",") if part.strip()]
    if not rules:
        raise AnnotationError(f"line {line}: no rule ids after 'expect:'")
    for rule in rules:
        if not _RULE_ID.match(rule):
            raise AnnotationError(f"line {line}: {rule!r} is not a rule id like BIO102")
    return frozenset(rules)


def parse_file(source: str, rel: str, *, allow_config: bool = True) -> CorpusFile:
    """Parse one annotated file; AnnotationError (one line, with the line number) if malformed."""
    try:
        comments = _comments(source)
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        raise AnnotationError(f"cannot tokenize: {exc}") from None
    feature = None
    config: list[str] = []
    python = (3, 0)
    expect: dict[int, frozenset[str]] = {}
    suppressed: dict[int, frozenset[str]] = {}
    listed: dict[int, frozenset[str]] = {}
    ok: dict[int, str] = {}
    first_code = _first_code_line(source)
    for line, text in comments:
        # One comment token may hold several directives: "# blocking-io: ignore[..] x  # ok: y"
        for segment in re.split(r"(?=#)", text):
            match = _DIRECTIVE.match(segment.strip())
            if not match:
                continue
            kind, value = match.groups()
            if kind in ("feature", "config", "python"):
                if line > HEADER_LINES or line > first_code:
                    raise AnnotationError(f"line {line}: '# {kind}:' belongs in the header")
                if kind == "feature":
                    if feature is not None:
                        raise AnnotationError(f"line {line}: a second '# feature:' header")
                    feature = value
                elif kind == "python":
                    version = _VERSION.match(value)
                    if version is None:
                        raise AnnotationError(f"line {line}: '# python:' takes 3.N, not {value!r}")
                    python = (3, int(version.group(1)))
                elif not allow_config:
                    raise AnnotationError(
                        f"line {line}: '# config:' in a package case (use its pyproject.toml)"
                    )
                else:
                    config.append(value)
            elif kind == "expect":
                expect[line] = expect.get(line, frozenset()) | _rules(value, line)
            elif kind == "expect-suppressed":
                suppressed[line] = suppressed.get(line, frozenset()) | _rules(value, line)
            elif kind == "listed":
                listed[line] = listed.get(line, frozenset()) | _rules(value, line)
            else:
                if not value:
                    raise AnnotationError(f"line {line}: '# ok:' needs a reason")
                ok[line] = value
    if feature is None:
        raise AnnotationError("no '# feature: <id>' header in the first lines")
    for line in ok:
        if line in expect or line in suppressed or line in listed:
            raise AnnotationError(f"line {line}: both 'ok' and 'expect' on one line")
    return CorpusFile(rel, feature, expect, suppressed, ok, tuple(config), listed, python)


def _first_code_line(source: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return number
    return sys.maxsize


def parse_config(lines: tuple[str, ...], where: str) -> dict[str, Any]:
    """`# config:` lines are TOML key/value pairs of [tool.blocking-io]."""
    if not lines:
        return {}
    try:
        return tomlio.loads("\n".join(lines), where)
    except InputError as exc:
        raise AnnotationError(str(exc)) from None


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _load_single(path: Path, root: Path) -> Case:
    rel = path.relative_to(root).as_posix()
    parsed = parse_file(_read(path), rel)
    config = parse_config(parsed.config_lines, rel)
    return Case(rel.removesuffix(".py"), path, {path.name: parsed}, config)


def _load_package(directory: Path, root: Path) -> Case:
    files: dict[str, CorpusFile] = {}
    for path in sorted(directory.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        inner = path.relative_to(directory).as_posix()
        try:
            files[inner] = parse_file(_read(path), rel, allow_config=False)
        except AnnotationError as exc:
            raise AnnotationError(f"{inner}: {exc}") from None
    if not files:
        raise AnnotationError("package case without .py files")
    config: dict[str, Any] = {}
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomlio.load(pyproject)
        except InputError as exc:
            raise AnnotationError(str(exc)) from None
        config = dict(data.get("tool", {}).get("blocking-io", {}))
    name = directory.relative_to(root).as_posix()
    return Case(name, directory, files, config)


def load_corpus(root: Path = CORPUS_DIR) -> Corpus:
    """Every case under `root`, sorted by name; problems are collected, not raised."""
    cases: list[Case] = []
    problems: list[str] = []
    skipped: list[str] = []
    if not root.is_dir():
        return Corpus([], [f"{root}: corpus directory not found"])
    for group in sorted(p for p in root.iterdir() if p.is_dir()):
        for entry in sorted(group.iterdir()):
            rel = entry.relative_to(root).as_posix()
            if entry.name.startswith((".", "__pycache__")):
                continue
            try:
                if group.name == PACKAGE_GROUP and entry.is_dir():
                    case = _load_package(entry, root)
                elif entry.is_file() and entry.suffix == ".py" and group.name != PACKAGE_GROUP:
                    case = _load_single(entry, root)
                else:
                    problems.append(
                        f"{rel}: not a case (expected <group>/<name>.py or projects/<dir>/)"
                    )
                    continue
                if any(f.python > sys.version_info[:2] for f in case.files.values()):
                    skipped.append(case.name)
                else:
                    cases.append(case)
            except AnnotationError as exc:
                problems.append(f"{rel}: {exc}")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{rel}: cannot read: {exc}")
    return Corpus(cases, problems, skipped)
