"""An unchanged re-run of `blocking-io detect`, answered without importing the toolkit.

Most of a warm re-run used to be interpreter start and imports (typer, pydantic, rich, the
registry): the result itself came from the cache in a few milliseconds. So a `detect` run
that used the cache leaves a *replay record* beside it: the command line and environment it
answered, what it printed, its exit code, and the state of every input it depended on (the
size, mtime, ctime and inode of each file it read, each folder it listed, each pyproject.toml
that could be the configuration, the toolkit's own files, the installed modules it followed
calls into). The next run with the same command line checks those with `os.stat` and, if
nothing changed, prints the stored answer (the report's `stats` brought up to date, as a
cached scan does) and rewrites findings.json; anything changed, or anything this module does
not know how to check, and the normal command runs (and writes a new record).

A file whose mtime is within `RACY_NS` of the run that recorded it could be edited again
within the file system's timestamp granularity without its stat changing: its content hash
is checked too.

This module imports only the standard library, and on the replay path only its cheapest
modules (no pathlib, hashlib, typing or tomllib when the record is in a default place): it
runs before anything else of the CLI, and its imports are most of an unchanged re-run.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

FORMAT = 1
RACY_NS = 2_000_000_000
# options whose answer depends on more than the recorded inputs, or that print no scan
_NEVER = ("--no-cache", "--changed-since", "--pre-commit", "--help", "-h")
# environment variables that differ between shells without changing what detect prints
_VOLATILE_ENV = frozenset({"_", "OLDPWD", "PWD", "SHLVL"})
_STATS_OPEN = '\n  "stats": {\n'

_started = time.perf_counter()
ARGV: list[str] | None = None  # set by `replay` for the recorder: the command line answered


def _eligible(argv: list[str]) -> bool:
    if not argv or argv[0] != "detect":
        return False
    return not any(arg == never or arg.startswith(never + "=") for arg in argv for never in _NEVER)


def _terminal(fd: int) -> tuple[bool, int, int]:
    try:
        if not os.isatty(fd):
            return (False, 0, 0)
        size = os.get_terminal_size(fd)
        return (True, size.columns, size.lines)
    except OSError:
        return (False, 0, 0)


def _question(argv: list[str]) -> tuple[Any, ...]:
    """Everything besides the files that decides what `detect` prints."""
    from blocking_io import __version__

    env = tuple(sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV))
    return (
        FORMAT,
        __version__,
        sys.executable,
        sys.version,
        os.getcwd(),
        tuple(argv),
        env,
        _terminal(1),
        _terminal(2),
    )


def _name(question: tuple[Any, ...]) -> str:
    """The record's file name: only a bucket (the whole question is compared on load), so two
    checksums do; hashlib's import was a sixth of a replay."""
    data = repr(question).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def _ancestry(cwd: str) -> list[str]:
    """cwd and its parents, nearest first."""
    out = [cwd]
    while (parent := os.path.dirname(out[-1])) != out[-1]:
        out.append(parent)
    return out


def _configs(cwd: Path) -> list[Path]:
    return [directory / "pyproject.toml" for directory in (cwd, *cwd.parents)]


def _config_option(argv: list[str]) -> str | None:
    """The value of --config, if given (the last one wins, as click takes it)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--config="):
            found = arg.partition("=")[2]
    return found


def _report_dir(cwd: Path, config: str | None) -> Path | None:
    """Where the configuration puts the report dir, found as `load_config` finds it; None
    when that cannot be told cheaply (then there is no replay)."""
    from pathlib import Path

    try:
        import tomllib
    except ImportError:  # Python 3.10: the same parser, as the tomli dependency
        try:
            import tomli as tomllib
        except ImportError:
            return None
    nearest: tuple[Path, dict[str, Any]] | None = None
    chosen = None
    candidates = _configs(cwd)
    if config is not None:
        given = Path(config) if os.path.isabs(config) else cwd / config
        candidates = [given / "pyproject.toml" if given.is_dir() else given]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            with open(candidate, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, ValueError):
            return None
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            return None
        nearest = nearest or (candidate, {})
        if "blocking-io" in tool:
            chosen = (candidate, tool["blocking-io"])
            break
    chosen = chosen or nearest
    if chosen is None:
        return None if config is not None else cwd / ".blocking-io"
    table = chosen[1]
    if not isinstance(table, dict):
        return None
    report_dir = table.get("report-dir", ".blocking-io")
    if not isinstance(report_dir, str):
        return None
    return (chosen[0].parent.resolve() / report_dir).resolve()


def _record_path(report_dir: str, name: str) -> str:
    return os.path.join(report_dir, "cache", "replay", f"{name}.marshal")


def _load(path: str, question: tuple[Any, ...]) -> dict[str, Any] | None:
    try:
        # the bytes at once: marshal.load(fh) reads object by object (2.8 against 0.2 ms
        # for fastapi's record, a tenth of an unchanged re-run)
        with open(path, "rb") as fh:
            record = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(record, dict) or record.get("question") != question:
        return None
    return record


def _find_record(cwd: str, argv: list[str], question: tuple[Any, ...]) -> dict[str, Any] | None:
    """The record answering `question`. First where the default report dir would keep it
    (beside --config's file, or beside any pyproject.toml at cwd or above), without reading
    the configuration: a record there was written by a run whose configuration put the
    report dir there, and its inputs include every file that configuration could come from,
    so if they are unchanged so is the report dir. Else where the configuration says
    (tomllib, a fifth of a replay)."""
    name = _name(question)
    config = _config_option(argv)
    if config is None:
        homes = _ancestry(cwd)
    else:  # --config's file, or a folder with the pyproject.toml
        given = os.path.join(cwd, config)
        homes = [given if os.path.isdir(given) else os.path.dirname(given)]
    for directory in homes:
        found = _load(_record_path(os.path.join(directory, ".blocking-io"), name), question)
        if found is not None:
            return found
    from pathlib import Path

    report_dir = _report_dir(Path(cwd), config)
    return None if report_dir is None else _load(_record_path(str(report_dir), name), question)


def _stat(path: str) -> tuple[int, int, int, int]:
    try:
        st = os.stat(path)
    except OSError:
        return (-1, 0, 0, 0)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _unchanged(inputs: list[tuple[str, tuple[int, int, int, int], str]]) -> bool:
    for path, stat, digest in inputs:
        if _stat(path) != stat:
            return False
        if digest and _digest(path) != digest:  # changed within the timestamp granularity?
            return False
    return True


def _with_stats(text: str, stats: tuple[int, int, float, int]) -> str:
    """`text` (JSON of a report) with these four counters leading its top-level `stats`
    (anything after them in the block, such as the environment, is kept)."""
    files, lines, seconds, hits = stats
    start = text.rindex(_STATS_OPEN) + len(_STATS_OPEN)
    hits_at = text.index('    "cache_hits": ', start)
    end = hits_at + len('    "cache_hits": ')
    while end < len(text) and text[end].isdigit():
        end += 1
    block = (
        f'    "files": {files},\n    "lines": {lines},\n'
        f'    "seconds": {seconds!r},\n    "cache_hits": {hits}'
    )
    return text[:start] + block + text[end:]


def _write(path: str, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"), durable=True)


def _write_bytes(target: str, data: bytes, *, durable: bool = False) -> None:
    """Atomically and with the mode `open()` gives, as the reports are written
    (shared_rules.atomic.replace_file), with the standard library only. Not `tempfile`: its
    import (random, hashlib, ...) was a tenth of a replay; a name of this process and instant,
    created exclusively, is as unique, and mode 0o666 less the umask is what `open()` gives."""
    folder, name = os.path.split(target)
    temp = os.path.join(folder, f".{name}.{os.getpid()}.{time.time_ns()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        with _suppressed():
            os.unlink(temp)
        raise


class _suppressed:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return isinstance(exc[1], OSError)


def replay(argv: list[str]) -> None:
    """Print the stored answer to `argv` and exit, if every input is as it was; else return."""
    global ARGV
    if not _eligible(argv):
        return
    ARGV = list(argv)
    question = _question(argv)
    record = _find_record(os.path.realpath(os.getcwd()), argv, question)
    if record is None:
        return
    try:
        if not _unchanged(record["inputs"]):
            return
        stats = (*record["stats"][:2], round(time.perf_counter() - _started, 3), record["stats"][0])
        stdout: str = record["stdout"]
        if record["stdout_stats"]:
            stdout = _with_stats(stdout, stats)
        if record["report_path"]:
            _write(record["report_path"], _with_stats(record["report"], stats))
        if record["output"]:
            _write(record["output"], stdout)
        else:
            sys.stdout.write(stdout)
        if record["stderr"]:
            sys.stderr.write(record["stderr"])
        code = int(record["code"])
    except (KeyError, TypeError, ValueError, IndexError, OSError):
        return  # a record this code cannot use: the normal command decides
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            code = code or 1
    os._exit(code)


def record(
    *,
    report_dir: Path,
    config_path: Path | None,
    inputs: Any,
    stats: tuple[int, int],
    stdout: str,
    stdout_stats: bool,
    output: Path | None,
    report_path: Path | None,
    report: str,
    stderr: str,
    code: int,
    extra_inputs: list[Path],
) -> None:
    """Store the answer of this `detect` run for `replay` (best effort: never fails the run).

    inputs: the scan's ScanInputs; stats: (files, lines) of the report."""
    if ARGV is None:  # not started from the console script (a test calling the app)
        return
    from pathlib import Path

    cwd = Path(os.getcwd()).resolve()
    if _report_dir(cwd, _config_option(ARGV)) != report_dir:
        return
    now = time.time_ns()
    entries: list[tuple[str, tuple[int, int, int, int], str]] = []
    for path, stat in inputs.read.items():
        entries.append((path, stat, "f:" + inputs.sha256[path] if _racy(stat, now) else ""))
    checked = {path for path, _, _ in entries}
    others = [*inputs.other, *(str(p) for p in _configs(cwd)), *map(str, extra_inputs)]
    if config_path is not None:
        others.append(str(config_path))
    others += [stamp.path for stamp in inputs.stamps]
    others += _toolkit_files()
    owned = str(report_dir.resolve()) + os.sep  # ours, rewritten by every run
    for path in others:
        if path in checked or path.startswith(owned):
            continue
        checked.add(path)
        stat = _stat(path)
        entries.append((path, stat, _digest(path) if stat[0] >= 0 and _racy(stat, now) else ""))
    # the answer must come back exactly from the record, or there is no record
    try:
        if _with_stats(report, _stats_of(report)) != report:
            return
        if stdout_stats and _with_stats(stdout, _stats_of(stdout)) != stdout:
            return
    except ValueError:
        return
    files, lines = stats
    question = _question(ARGV)
    payload = {
        "question": question,
        "inputs": entries,
        "stats": [files, lines],
        "stdout": stdout,
        "stdout_stats": stdout_stats,
        "output": str(output) if output else "",
        "report_path": str(report_path) if report_path else "",
        "report": report,
        "stderr": stderr,
        "code": code,
    }
    path = _record_path(str(report_dir), _name(question))
    with _suppressed():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _write_bytes(path, marshal.dumps(payload))


def _racy(stat: tuple[int, int, int, int], now: int) -> bool:
    return stat[1] >= now - RACY_NS or stat[2] >= now - RACY_NS


def _digest(path: str) -> str:
    """A file's content hash, or a folder's listing's: what a stat in the same timestamp
    tick as the run cannot tell apart."""
    import hashlib
    import stat

    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            listing = "\0".join(sorted(os.listdir(path)))
            return "d:" + hashlib.sha256(listing.encode("utf-8", "surrogateescape")).hexdigest()
        if not stat.S_ISREG(mode):  # a FIFO or a device: opening it could wait forever
            return "unreadable"
        with open(path, "rb") as fh:
            return "f:" + hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return "unreadable"


def _stats_of(text: str) -> tuple[int, int, float, int]:
    import json

    start = text.rindex(_STATS_OPEN)
    end = text.index("\n  }", start) + len("\n  }")
    block = json.loads("{" + text[start:end].strip().rstrip(",") + "}")["stats"]
    return (block["files"], block["lines"], block["seconds"], block["cache_hits"])


def _toolkit_files() -> list[str]:
    """The toolkit's own code and data (as the cache keys cover them), and their folders."""
    from pathlib import Path

    import blocking_io
    import blocking_io.shared_rules as rules
    import blocking_io.static_detector as detector

    out: list[str] = []
    for module in (blocking_io, detector, rules):
        top = Path(module.__file__ or "").parent
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            out.append(dirpath)
            out.extend(
                os.path.join(dirpath, name)
                for name in sorted(filenames)
                if name.endswith((".py", ".toml", ".json"))
            )
    return out
