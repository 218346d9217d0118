"""Reading a module's source: decoding as the interpreter does, parsing, and the
classification of what cannot be read (undecodable, newer syntax, parser limits) into
SourceError kinds for the report's errors."""

from __future__ import annotations

import ast
import re
import sys
import tokenize
import warnings
from codecs import BOM_UTF8
from io import BytesIO


class SourceError(Exception):
    """A file that cannot be analysed; `kind` and `line` go into the report's errors."""

    def __init__(self, kind: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.line = line


NEWER_SYNTAX = (
    (re.compile(r"^\s*type\s+\w+(\[.*\])?\s*=", re.M), (3, 12), "type alias statement"),
    (re.compile(r"^\s*(async\s+)?def\s+\w+\s*\[", re.M), (3, 12), "generic function syntax"),
    (re.compile(r"^\s*class\s+\w+\s*\[", re.M), (3, 12), "generic class syntax"),
    (re.compile(r"^\s*except\s*\*", re.M), (3, 11), "except* clause"),
)


def decode_source(raw: bytes) -> str:
    """Decode like the interpreter does (PEP 263 coding cookie, BOM, default UTF-8)."""
    # the commonest file: no BOM, no cookie in its first two lines (where a cookie must be):
    # UTF-8, as detect_encoding would say (which also fails on a first line that is not
    # UTF-8: so does decoding the whole file, at the same byte, raising the same error)
    end = raw.find(b"\n", raw.find(b"\n") + 1)
    head = raw if end < 0 else raw[:end]
    if b"coding" not in head and not raw.startswith(BOM_UTF8):
        return _checked(_decode(raw, "utf-8"))
    return detected(raw)


def detected(raw: bytes) -> str:
    """decode_source by tokenize.detect_encoding, without the shortcut for the commonest
    file (which must give what this gives)."""
    try:
        encoding, _ = tokenize.detect_encoding(BytesIO(raw).readline)
    except SyntaxError as exc:
        # detect_encoding also fails when the first two lines are not UTF-8 and there is
        # no cookie: say which byte, as for the rest of the file
        encoding = "utf-8"
        if "encoding" in str(exc) and "unknown encoding" not in str(exc):
            _decode(raw, encoding)
        raise SourceError("undecodable", f"cannot determine encoding: {exc}") from None
    return _checked(_decode(raw, encoding))


def _checked(text: str) -> str:
    nul = text.find("\0")
    if nul >= 0:  # the interpreter refuses these too; say so the same way on every version
        line = text.count("\n", 0, nul) + 1
        raise SourceError("undecodable", "contains NUL bytes (not a text file?)", line)
    return text


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise SourceError(
            "undecodable",
            f"not valid {encoding}: byte 0x{byte} at line {line}, column {column}",
            line,
        ) from None
    except LookupError as exc:
        raise SourceError("undecodable", f"unknown encoding {encoding!r}: {exc}") from None


def parse_source(text: str, path: str) -> ast.Module:
    try:
        # the compiler's SyntaxWarnings (invalid escapes, `is` with a literal) are the
        # scanned project's business: they must not fill the detector's output
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as exc:
        for pattern, version, what in NEWER_SYNTAX:
            if sys.version_info < version and pattern.search(text):
                need = ".".join(map(str, version))
                run = ".".join(map(str, sys.version_info[:2]))
                raise SourceError(
                    "newer-syntax",
                    f"uses {what}, which needs Python {need}+ (running {run}); "
                    f"run blocking-io on Python {need}+ to scan it",
                    exc.lineno,
                ) from None
        if any(limit in (exc.msg or "") for limit in PARSER_LIMITS):
            raise SourceError(
                "too-deep", f"{exc.msg} (a limit of the Python parser)", exc.lineno
            ) from None
        raise SourceError("syntax-error", f"{exc.msg}", exc.lineno) from None
    except MemoryError:  # the parser's own stack overflows on absurd nesting
        raise SourceError("too-deep", "nesting too deep to parse (parser stack overflow)") from None
    except ValueError as exc:
        raise SourceError("unparsable", str(exc) or type(exc).__name__) from None
    except RecursionError:
        raise SourceError("too-deep", "nesting too deep to parse") from None


# SyntaxError messages that are limits of the interpreter, not mistakes in the code
PARSER_LIMITS = (
    "too many nested parentheses",
    "too many levels of indentation",
    "too many statically nested blocks",
    "too many nested f-strings",
    "too many expressions in star-unpacking assignment",
)


def deepest_line(tree: ast.AST) -> int | None:
    """Line of the statement holding the most deeply nested node (walked without recursion),
    so a "too deep" error points at the culprit."""
    best, best_depth = None, -1
    stack: list[tuple[ast.AST, int, int | None]] = [(tree, 0, None)]
    while stack:
        node, depth, line = stack.pop()
        if isinstance(node, ast.stmt):
            line = node.lineno
        if depth > best_depth:
            best, best_depth = line, depth
        stack.extend((child, depth + 1, line) for child in ast.iter_child_nodes(node))
    return best
