"""The project's Python environment: where its installed libraries are.

Found the way ty, pyright and mypy find it: `--python PATH` (an interpreter or a venv
folder), then `python` in `[tool.blocking-io]`; otherwise `VIRTUAL_ENV`, then `.venv` /
`venv` at the project root, then the project environments that uv, pdm, poetry and hatch
create where their location is standard; last, the interpreter blocking-io runs on.

The chosen interpreter is asked for its `sys.path` by running it isolated (`-I -c`) with a
few lines that print it: the project and its libraries are never imported. The answer is
kept in the user cache while the interpreter and its sys.path folders are unchanged
(probe_cache.py). A broken or missing environment is one warning naming it; the scan goes
on without it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from .probe_cache import ProbeCache, watched

PROBE = (
    "import importlib.machinery as m, json, sys, sysconfig\n"
    "print(json.dumps({'path': sys.path, 'prefix': sys.prefix, 'executable': sys.executable,"
    " 'version': '.'.join(map(str, sys.version_info[:3])),"
    " 'stdlib': sysconfig.get_paths().get('stdlib', ''),"
    " 'extensions': list(m.EXTENSION_SUFFIXES)}))\n"
)
PROBE_TIMEOUT = 30.0  # seconds: an interpreter that hangs at start-up is a broken one


class Probe(BaseModel):
    """What the interpreter says about itself."""

    path: list[str]
    prefix: str
    executable: str
    version: str
    stdlib: str = ""
    extensions: list[str] = []


class Candidate(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    """A place the environment may be: `how` says where the place came from."""

    how: str  # "--python", "[tool.blocking-io].python", "VIRTUAL_ENV", ".venv", "poetry", ...
    path: Path  # an interpreter, or an environment folder (a glob for poetry's)
    explicit: bool = False  # named by the user: used or warned about, never skipped


class Environment(NamedTuple):  # not a frozen dataclass: an exec per generated method at import
    """The environment a scan follows library calls into."""

    how: str  # the Candidate's `how`, or "running interpreter"
    interpreter: str | None  # None: no environment (a broken explicit one)
    version: str = ""
    prefix: str = ""
    search_path: tuple[str, ...] = ()
    # the files and folders its answer depends on (the interpreter, pyvenv.cfg, sys.path):
    # a replayed answer is checked against them, so installing a package is seen
    watched: tuple[str, ...] = ()
    # (what was tried, what is wrong with it): `--python /srv/venv`, `no such file ...`
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> str:
        """What the findings depend on: the libraries' search path (for the running
        interpreter, its prefix: the sys.path a test runner or `-c` adds to is no other
        environment). A changed library file is caught by the result's file stamps."""
        where = [self.prefix] if self.how == "running interpreter" else list(self.search_path)
        blob = json.dumps([self.how, self.interpreter, where])
        return hashlib.sha256(blob.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def candidates(
    root: Path,
    *,
    python: str | None = None,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
    project_name: str | None = None,
    poetry_dir: Path | None = None,
    hatch_dir: Path | None = None,
) -> list[Candidate]:
    """Every place to look, in order (pure: nothing is checked on disk).

    python: the command line's `--python` (relative to the working directory, already
    absolute); configured: `[tool.blocking-io].python` (relative to the project root)."""
    env = os.environ if environ is None else environ
    out: list[Candidate] = []
    if python:
        out.append(Candidate("--python", Path(python), explicit=True))
    if configured:
        out.append(Candidate("[tool.blocking-io].python", root / configured, explicit=True))
    if env.get("VIRTUAL_ENV") and not _hook_environment(env):
        out.append(Candidate("VIRTUAL_ENV", Path(env["VIRTUAL_ENV"]), explicit=True))
    out.append(Candidate(".venv", root / ".venv"))
    out.append(Candidate("venv", root / "venv"))
    if env.get("UV_PROJECT_ENVIRONMENT"):
        out.append(Candidate("uv", root / env["UV_PROJECT_ENVIRONMENT"]))
    pdm = root / ".pdm-python"  # pdm records the project's interpreter here
    out.append(Candidate("pdm", pdm))
    if project_name:
        poetry = poetry_dir or _poetry_dir(env)
        out.append(Candidate("poetry", poetry / f"{poetry_env_name(project_name, root)}-py*"))
        hatch = hatch_dir or _hatch_dir(env)
        out.append(Candidate("hatch", hatch / project_name / _hatch_hash(root) / project_name))
    return out


def _hook_environment(env: Mapping[str, str]) -> bool:
    """Is VIRTUAL_ENV the isolated environment pre-commit runs blocking-io in (it sets
    PRE_COMMIT=1 and VIRTUAL_ENV to its hook's venv)? Not the project's: look further."""
    here = os.path.normcase(os.path.abspath(sys.prefix))
    there = os.path.normcase(os.path.abspath(env["VIRTUAL_ENV"]))
    return bool(env.get("PRE_COMMIT")) and here == there


def poetry_env_name(name: str, root: Path) -> str:
    """Poetry's folder name for a project's environment (`EnvManager.generate_env_name`):
    the sanitised name and a hash of the project's real path; `-pyX.Y` follows."""
    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name.lower())[:42]
    real = os.path.normcase(os.path.realpath(root))
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).digest()
    return f"{sanitized}-{base64.urlsafe_b64encode(digest).decode()[:8]}"


def _hatch_hash(root: Path) -> str:
    """Hatch's per-project folder (`VirtualEnvironment.__init__`): a hash of the root."""
    digest = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).digest()
    return base64.urlsafe_b64encode(digest).decode()[:8]


def _poetry_dir(env: Mapping[str, str]) -> Path:
    from platformdirs import user_cache_dir

    if env.get("POETRY_VIRTUALENVS_PATH"):
        return Path(env["POETRY_VIRTUALENVS_PATH"])
    cache = env.get("POETRY_CACHE_DIR") or user_cache_dir("pypoetry", appauthor=False)
    return Path(cache) / "virtualenvs"


def _hatch_dir(env: Mapping[str, str]) -> Path:
    from platformdirs import user_data_dir

    data = env.get("HATCH_DATA_DIR") or user_data_dir("hatch", appauthor=False)
    return Path(data) / "env" / "virtual"


class Unusable(Exception):
    """A candidate that exists but cannot be used: the message says why, in a few words."""


def interpreter_of(path: Path) -> Path | None:
    """The interpreter a candidate names: itself, the one in a venv folder, or the one a
    `.pdm-python` file records. None when there is nothing at `path`; Unusable when there
    is something that cannot run."""
    if path.name == ".pdm-python":
        if not path.is_file():
            return None
        try:
            recorded = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise Unusable(f"cannot read it ({exc})") from None
        return interpreter_of(Path(recorded)) if recorded else None
    if "*" in path.name:  # poetry's `name-hash-pyX.Y`: the newest Python
        found = sorted(path.parent.glob(path.name)) if path.parent.is_dir() else []
        return interpreter_of(found[-1]) if found else None
    if not os.path.lexists(path):
        return None
    if path.is_dir():
        for rel in ("bin/python", "bin/python3", "Scripts/python.exe"):
            exe = path / rel
            if os.path.lexists(exe):
                if not exe.exists():
                    raise Unusable(f"its interpreter {exe} points to a file that is gone")
                return exe
        if (path / "pyvenv.cfg").exists():
            raise Unusable("a virtual environment without an interpreter (bin/python is gone)")
        raise Unusable("not a virtual environment (no bin/python) nor an interpreter")
    if not path.exists():
        raise Unusable("a link to a file that is gone")
    if not os.access(path, os.X_OK):
        raise Unusable("not executable")
    return path


def probe(interpreter: Path, cache: ProbeCache | None = None) -> Probe:
    """Ask `interpreter` for its sys.path, isolated (-I: no PYTHONPATH, no user site, not
    the current directory), so nothing of the project is imported; or take its answer from
    `cache`, if nothing it depends on changed since."""
    if cache is not None:
        stored = cache.get(interpreter)
        if stored is not None:
            with contextlib.suppress(ValidationError):
                return Probe.model_validate(stored)
    answer = _run_probe(interpreter)
    if cache is not None:
        cache.put(interpreter, answer.model_dump(), answer.path)
    return answer


def _run_probe(interpreter: Path) -> Probe:
    try:
        done = subprocess.run(
            [str(interpreter), "-I", "-c", PROBE],
            capture_output=True,
            timeout=PROBE_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Unusable(f"{interpreter} did not answer within {PROBE_TIMEOUT:.0f}s") from None
    except OSError as exc:
        raise Unusable(f"{interpreter} does not run ({exc.strerror or exc})") from None
    if done.returncode != 0:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        raise Unusable(f"{interpreter} exited with status {done.returncode}: {last}")
    try:
        lines = done.stdout.decode(errors="replace").strip().splitlines()
        return Probe.model_validate_json(lines[-1] if lines else "")
    except ValidationError:
        raise Unusable(f"{interpreter} did not answer like a Python interpreter") from None


def running() -> Environment:
    """The interpreter blocking-io runs on: its own sys.path, without a subprocess."""
    version = ".".join(map(str, sys.version_info[:3]))
    search_path = _usable(sys.path, _stdlib_dirs())
    return Environment(
        how="running interpreter",
        interpreter=sys.executable,
        version=version,
        prefix=sys.prefix,
        search_path=search_path,
        # its installed libraries, not what `-m` or a test runner put on sys.path (the
        # working directory, where a run writes its reports)
        watched=tuple(watched(Path(sys.executable), _inside(search_path, sys.prefix))),
    )


def find(
    root: Path,
    *,
    python: str | None = None,
    configured: str | None = None,
    environ: Mapping[str, str] | None = None,
    project_name: str | None = None,
    cache: ProbeCache | None = None,
) -> Environment:
    """The first usable candidate; explicit candidates that do not work are warned about and
    end the search with no environment (the scan goes on without installed libraries).
    cache: where interpreters' answers are kept (None: ask every time)."""
    warnings: list[tuple[str, str]] = []
    for candidate in candidates(
        root, python=python, configured=configured, environ=environ, project_name=project_name
    ):
        try:
            exe = interpreter_of(candidate.path)
            if exe is None:
                if candidate.explicit:
                    raise Unusable("no such file or directory")
                continue
            if _same_environment(exe, Path(sys.executable)):
                return _with(running(), candidate.how, warnings)
            answer = probe(exe, cache)
        except Unusable as exc:
            warnings.append(
                (f"{candidate.how} {candidate.path}", f"{exc}; {_consequence(candidate)}")
            )
            if candidate.explicit:
                return Environment(how=candidate.how, interpreter=None, warnings=tuple(warnings))
            continue
        return Environment(
            how=candidate.how,
            interpreter=str(exe),
            version=answer.version,
            prefix=answer.prefix,
            search_path=_usable(answer.path, {answer.stdlib} if answer.stdlib else set()),
            watched=tuple(watched(exe, answer.path)),
            warnings=tuple(warnings),
        )
    return _with(running(), "running interpreter", warnings)


def _same_environment(a: Path, b: Path) -> bool:
    """Two interpreters of one environment (`bin/python` and `bin/python3` of a venv; not
    two venvs, whose interpreters are links to the same file)."""
    return os.path.abspath(a.parent) == os.path.abspath(b.parent)


def _consequence(candidate: Candidate) -> str:
    if candidate.explicit:
        return "installed libraries are not followed"
    return "looking further"


def _with(env: Environment, how: str, warnings: list[tuple[str, str]]) -> Environment:
    return Environment(
        how=how,
        interpreter=env.interpreter,
        version=env.version,
        prefix=env.prefix,
        search_path=env.search_path,
        watched=env.watched,
        warnings=tuple(warnings),
    )


def _inside(paths: tuple[str, ...], prefix: str) -> list[str]:
    top = os.path.abspath(prefix) + os.sep
    return [p for p in paths if os.path.abspath(p).startswith(top)]


def _stdlib_dirs() -> set[str]:
    import sysconfig

    return {sysconfig.get_paths().get("stdlib", "")} - {""}


def _usable(path: list[str], stdlib: set[str]) -> tuple[str, ...]:
    """The directories of sys.path that can hold libraries: not the current directory (''),
    not zip files, not the standard library (never followed: rules describe it)."""
    out: list[str] = []
    for entry in path:
        if not entry or entry in stdlib or entry in out or not os.path.isdir(entry):
            continue
        if any(entry.startswith(s + os.sep) for s in stdlib) and "site-packages" not in entry:
            continue  # lib-dynload and friends
        out.append(entry)
    return tuple(out)
