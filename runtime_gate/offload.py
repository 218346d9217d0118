"""Teeth check: run the work of one offload call site inline on the loop.

`--blocking-io-revert-offload=relay/store.py:41` makes the `asyncio.to_thread(fn, ...)` (or
`loop.run_in_executor`, `anyio.to_thread.run_sync`, `run_in_threadpool`, a configured
`offload-functions` wrapper) at that line call `fn` on the event loop thread instead. An
anchor that exercises the site then goes red if, and only if, it really guards that offload.

The mechanism is patched, not the public names: `loop.run_in_executor` (what `to_thread`
uses) and anyio's worker-thread entry (what `run_sync` and starlette/fastapi use) are looked
up at call time, so `from asyncio import to_thread` is caught as well. The call site is the
first frame above the offload machinery.
"""

from __future__ import annotations

import asyncio
import dis
import gc
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from .patching import Patch

ORIGIN_DEPTH = 6


class SiteError(ValueError):
    """A malformed or unknown PATH:LINE."""


@dataclass(frozen=True)
class Site:
    path: str  # as given (project-relative)
    filename: str  # real absolute path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def parse_site(text: str, root: Path) -> Site:
    path, sep, line = text.rpartition(":")
    if not sep or not path or not line.isdigit() or int(line) < 1:
        raise SiteError(f"{text!r} is not PATH:LINE (for example relay/store.py:41)")
    full = Path(path) if Path(path).is_absolute() else root / path
    if not full.is_file():
        raise SiteError(f"{text!r}: no such file {full}")
    return Site(path, os.path.realpath(full), int(line))


@dataclass
class Reverter:
    """Patches of the offload mechanisms; `hits` lists the tests in which a site ran inline."""

    sites: tuple[Site, ...]
    offload_functions: tuple[str, ...] = ()  # qualified names of project offload wrappers
    # packages whose frames are offload machinery, not call sites (the registry's packs)
    machinery: tuple[str, ...] = ()
    hits: dict[Site, list[str]] = field(default_factory=dict)
    test: str = ""

    def __post_init__(self) -> None:
        self._by_file: dict[str, list[Site]] = {}
        for site in self.sites:
            self._by_file.setdefault(site.filename, []).append(site)
        self._real: dict[str, str] = {}
        self._machinery = _package_dirs(self.machinery)
        self._wrappers = {name.rpartition(":")[0] or name for name in self.offload_functions}

    def patches(self) -> list[Patch]:
        # `asyncio.gather(asyncio.to_thread(f), ...)`: the to_thread coroutine runs in its own
        # task, whose frames no longer lead back to the call site; the coroutine's creation
        # origin does. Teeth runs are short-lived processes: tracking stays on for them.
        if sys.get_coroutine_origin_tracking_depth() < ORIGIN_DEPTH:
            sys.set_coroutine_origin_tracking_depth(ORIGIN_DEPTH)
        loop_cls = asyncio.base_events.BaseEventLoop
        original = loop_cls.run_in_executor
        reverter = self

        def run_in_executor(self: Any, executor: Any, func: Any, *args: Any) -> Any:
            site = reverter._site(sys._getframe(1))
            if site is None:
                return original(self, executor, func, *args)
            reverter._hit(site)
            future = self.create_future()
            try:
                future.set_result(func(*args))
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:
                future.set_exception(exc)
            return future

        out = [Patch(loop_cls, "run_in_executor", run_in_executor)]
        backend = _anyio_backend()
        if backend is not None:
            bound = backend.run_sync_in_worker_thread

            async def run_sync_in_worker_thread(
                cls: Any, func: Any, args: Any, *rest: Any, **kwargs: Any
            ) -> Any:
                site = reverter._site(sys._getframe(1))
                if site is None:
                    return await bound(func, args, *rest, **kwargs)
                reverter._hit(site)
                return func(*args)

            out.append(
                Patch(backend, "run_sync_in_worker_thread", classmethod(run_sync_in_worker_thread))
            )
        return out

    def _hit(self, site: Site) -> None:
        tests = self.hits.setdefault(site, [])
        if self.test and self.test not in tests:
            tests.append(self.test)

    def _site(self, frame: FrameType | None) -> Site | None:
        """The reverted site this offload call comes from, walking up through the machinery."""
        while frame is not None:
            filename = frame.f_code.co_filename
            real = self._real.get(filename)
            if real is None:
                real = self._real[filename] = os.path.realpath(filename)
            for site in self._by_file.get(real, ()):
                if site.line in _lines_of(frame):
                    return site
            if not (filename.startswith(self._machinery) or self._is_wrapper(frame)):
                return None
            if frame.f_back is None or _is_loop_step(frame.f_back):
                # the top of a task (`gather(to_thread(f), ...)`): where was it created?
                return self._site_of_origin(frame)
            frame = frame.f_back
        return None

    def _site_of_origin(self, frame: FrameType) -> Site | None:
        for owner in gc.get_referrers(frame):
            origin = getattr(owner, "cr_origin", None)
            if getattr(owner, "cr_frame", None) is not frame or not origin:
                continue
            for filename, line, _ in origin:
                real = self._real.get(filename) or os.path.realpath(filename)
                for site in self._by_file.get(real, ()):
                    if site.line == line:
                        return site
                if not real.startswith(self._machinery):
                    return None
        return None

    def _is_wrapper(self, frame: FrameType) -> bool:
        if not self._wrappers:
            return False
        module = frame.f_globals.get("__name__", "")
        name = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
        return f"{module}.{name}" in self._wrappers


def _is_loop_step(frame: FrameType) -> bool:
    """A frame of the event loop running a callback or task step (not a caller)."""
    code = frame.f_code
    return code.co_name in ("_run", "__step", "__step_run_and_handle_result") and (
        code.co_filename.replace(os.sep, "/").rpartition("/")[0].endswith("asyncio")
    )


def _package_dirs(names: Iterable[str]) -> tuple[str, ...]:
    dirs: list[str] = []
    for name in names:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            dirs.extend(os.path.join(d, "") for d in spec.submodule_search_locations)
    return tuple(dirs)


def _lines_of(frame: FrameType) -> Iterable[int]:
    """The line(s) of the call a frame is at: a call may span several lines."""
    line = frame.f_lineno
    positions = getattr(frame.f_code, "co_positions", None)
    if frame.f_lasti < 0:
        return (line,)
    if positions is None:  # 3.10: the lines of the instructions leading up to the call
        starts = [(o, n) for o, n in dis.findlinestarts(frame.f_code) if o <= frame.f_lasti]
        lines = {line}
        for _, number in reversed(starts):
            if number is None or number < line:
                break
            lines.add(number)
        return lines
    try:
        start, end, _, _ = list(positions())[frame.f_lasti // 2]
    except (IndexError, ValueError):
        return (line,)
    if start is None:
        return (line,)
    return range(min(start, line), max(end or start, line) + 1)


def _anyio_backend() -> Any | None:
    try:
        module = importlib.import_module("anyio._backends._asyncio")
    except ImportError:
        return None
    return getattr(module, "AsyncIOBackend", None)
