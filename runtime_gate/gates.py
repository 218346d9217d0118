"""The gate: Blockbuster's interception plus the registry's, as one restorable unit.

    with blocking_io.runtime_gate.gate(scanned_modules=["relay"]):
        asyncio.run(relay.main())

    @blocking_io.runtime_gate.guard
    async def handle(request): ...

Patches are process-wide (they replace `os.stat`, `io.BufferedReader.read`, ...). Gates nest:
an inner gate layers its patches over the outer's and restores them on exit; a gate that
exits while inner ones are still active unwinds those first, so the originals always come
back, whatever order callers exit in.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TypeVar

from blockbuster import BlockingError
from blockbuster.blockbuster import _ModulePaths, _skip, _wrap_blocking
from blocking_io.shared_rules.config import load_config
from blocking_io.shared_rules.registry import Registry, builtin_registry

from . import interceptions
from .errors import BlockingIOViolation, SwallowedBlockingIO
from .offload import Reverter
from .patching import Patch
from .resolve import KeyNotFound, module_paths
from .violations import (
    Attribution,
    Scope,
    Violation,
    analyse,
    on_a_coroutine,
    reached,
    swallowed_at,
)

_ACTIVE: list[Gate] = []  # process-wide, innermost last
_ORIGINAL = "__blocking_io_original__"

F = TypeVar("F", bound=Callable[..., Any])


class GateError(RuntimeError):
    """The gate cannot be built (unimportable scanned module, unresolvable project key)."""


@contextlib.contextmanager
def _skipping() -> Iterator[None]:
    """Run gate bookkeeping without tripping the gate's own patches (realpath -> lstat)."""
    previous = _skip.value
    _skip.value = True
    try:
        yield
    finally:
        _skip.value = previous


class Gate:
    """One configured set of interceptions; `activate()` / `deactivate()` or `with gate:`."""

    def __init__(
        self,
        scanned_modules: Sequence[str],
        *,
        registry: Registry | None = None,
        root: str | Path | None = None,
        excluded_modules: Sequence[str] = (),
        strict_keys: Sequence[str] = (),
        reverter: Reverter | None = None,
        fail_on_swallowed: bool = True,
    ) -> None:
        if not scanned_modules:
            raise GateError(
                "the gate needs scanned_modules: the top-level packages of the project's own "
                "code (blocking calls are reported only when they come from there)"
            )
        self.scanned_modules = tuple(scanned_modules)
        self.excluded_modules = tuple(excluded_modules)
        self.registry = registry or builtin_registry()
        self.root = Path(root or os.getcwd())
        self.strict_keys = frozenset(strict_keys)
        self.reverter = reverter
        self.fail_on_swallowed = fail_on_swallowed
        self.violations: list[Violation] = []
        self.skipped: dict[str, interceptions.Skip] = {}  # runtime key -> why not intercepted
        self.interceptions: list[interceptions.Interception] = []
        self.test = ""
        self.phase = ""
        self.plugin_owned = False  # the pytest plugin's own gate (not a leak)
        self._patches: list[Patch] | None = None
        self._depth = 0

    # -- building ------------------------------------------------------------------------
    def build(self) -> None:
        """Resolve modules and keys (once). Raises GateError with one line on bad input."""
        if self._patches is not None:
            return
        with _skipping():
            try:
                paths = module_paths(self.scanned_modules)
                excluded = module_paths(self.excluded_modules) if self.excluded_modules else ()
            except KeyNotFound as exc:
                raise GateError(str(exc)) from None
            self.scope = Scope(paths, self.root, excluded)
            self.attribution = Attribution(self.registry)
            requires = {r.id: r.requires for r in self.registry.all_rules or self.registry.rules}
            found, self.skipped = interceptions.build(
                self.attribution.keys_of_active_rules(),
                requires,
                _ModulePaths(list(paths)),
                _ModulePaths(list(excluded)),
                conditions=self.attribution.conditions(),
            )
        # a project's own rule must resolve, unless it `requires` a package not installed here
        broken = sorted(
            k
            for k, why in self.skipped.items()
            if k in self.strict_keys and why.kind is not interceptions.SkipKind.NOT_INSTALLED
        )
        if broken:
            raise GateError(f"runtime key {broken[0]!r}: {self.skipped[broken[0]]}")
        patches: list[Patch] = []
        wrappers: dict[str, Callable[..., Any]] = {}
        for item in found:
            item.original = getattr(item.original, _ORIGINAL, item.original)
            wrappers[item.key] = self._wrap(item)
            replacement: Any = wrappers[item.key]
            if isinstance(
                inspect.getattr_static(item.owner, item.attr), (classmethod, staticmethod)
            ):
                replacement = staticmethod(replacement)  # `original` is already bound
            patches.append(Patch(item.owner, item.attr, replacement))
        for owner, name, item in interceptions.early_bound(found):
            patches.append(Patch(owner, name, staticmethod(wrappers[item.key])))
        if self.reverter is not None:
            patches.extend(self.reverter.patches())
        self.interceptions = found
        self._patches = patches

    def _wrap(self, item: interceptions.Interception) -> Callable[..., Any]:
        fn = item.function
        original = item.original
        checker = _wrap_blocking(
            fn._scanned_modules,
            fn._excluded_modules,
            original,
            item.key,
            fn.can_block_functions,
            fn.can_block_predicate,
        )
        key = item.key
        gate = self

        def intercepted(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            if gate not in _ACTIVE:
                # a name bound while the gate was on (`from time import sleep` in a module
                # first imported inside a gated test) outlives the patch: off, it is the original
                return original(*args, **kwargs)
            try:
                return checker(*args, **kwargs)
            except BlockingError as exc:
                if type(exc) is not BlockingError:  # already ours, from a layered gate
                    raise
                error = gate._violation(key, sys._getframe(1))
            if error is None or error.violation.in_callback:
                # None: the call belongs to a rule the project disabled. In a loop callback,
                # raised, the loop's exception handler would swallow the error and what the
                # callback was to do (resolve a future) would never happen: the test would
                # hang. There it is recorded, the call runs, and the test fails at its end.
                with _skipping():
                    return original(*args, **kwargs)
            raise error

        for attr in ("__name__", "__qualname__", "__doc__"):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(intercepted, attr, getattr(original, attr))
        setattr(intercepted, _ORIGINAL, original)
        return intercepted

    def _violation(self, key: str, frame: FrameType) -> BlockingIOViolation | None:
        with _skipping():
            library, site, chain = analyse(frame, self.scope)
            hit = self.attribution.attribute(key, library)
            if hit is None:
                return None
            rule, symbol = hit
            violation = Violation(
                rule=rule,
                symbol=symbol,
                primitive=key,
                site=self.scope.step(site),
                chain=chain,
                test=self.test,
                phase=self.phase,
                in_callback=not on_a_coroutine(frame),
            )
            error = BlockingIOViolation(violation)
            violation.error = error
            self.violations.append(violation)
            return error

    # -- activation ----------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self in _ACTIVE

    def activate(self) -> Gate:
        if self.active:
            self._depth += 1
            return self
        self.build()
        assert self._patches is not None
        try:
            for patch in self._patches:
                patch.apply()
        except BaseException:
            for patch in reversed(self._patches):
                patch.restore()
            raise
        _ACTIVE.append(self)
        self._depth = 1
        self.violations = []
        return self

    def deactivate(self) -> None:
        """Restore every patch of this gate (and of gates activated inside it)."""
        if not self.active:
            return
        self._depth -= 1
        if self._depth > 0:
            return
        while _ACTIVE and _ACTIVE[-1] is not self:
            _ACTIVE[-1].force_deactivate()
        _ACTIVE.remove(self)
        self._depth = 0
        failures = []
        for patch in reversed(self._patches or ()):
            try:
                patch.restore()
            except Exception as exc:  # restore the rest regardless
                failures.append(exc)
        if failures:
            raise failures[0]

    def force_deactivate(self) -> None:
        """Deactivate however many times it was entered (cleanup after a crashed test)."""
        if self.active:
            self._depth = 1
            self.deactivate()

    def swallowed(self, outcome: BaseException | None = None) -> list[Violation]:
        """Violations whose error did not reach `outcome` (the exception the code ended with)."""
        out = []
        for violation in self.violations:
            if violation.error is not None and not reached(violation.error, outcome):
                if violation.swallowed_at is None:
                    with _skipping():
                        violation.swallowed_at = swallowed_at(violation.error, self.scope)
                out.append(violation)
        return out

    def __enter__(self) -> Gate:
        return self.activate()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.deactivate()
        if self.fail_on_swallowed and exc is None and not self.active:
            swallowed = self.swallowed(None)
            if swallowed:
                raise SwallowedBlockingIO(swallowed)


def active_gates() -> list[Gate]:
    return list(_ACTIVE)


def unwind() -> list[Gate]:
    """Deactivate every active gate (a crashed test left them on); returns them."""
    left = list(_ACTIVE)
    while _ACTIVE:
        _ACTIVE[0].force_deactivate()
    return left


def gate(
    scanned_modules: Sequence[str] | None = None,
    *,
    config: str | Path | None = None,
    registry: Registry | None = None,
    root: str | Path | None = None,
    fail_on_swallowed: bool = True,
) -> Gate:
    """A gate for use outside pytest: `with gate(scanned_modules=["myapp"]): ...`.

    Without `scanned_modules`, they (and the rules) come from `[tool.blocking-io]` of the
    nearest pyproject.toml. On exit, a violation the code caught and swallowed raises
    SwallowedBlockingIO (unless `fail_on_swallowed=False`).
    """
    if scanned_modules is None or registry is None:
        project = load_config(Path(config) if config else None)
        scanned_modules = scanned_modules or project.settings.scanned_modules
        registry = registry or project.registry
        root = root or project.root
    return Gate(scanned_modules, registry=registry, root=root, fail_on_swallowed=fail_on_swallowed)


def guard(
    fn: F | None = None,
    *,
    scanned_modules: Sequence[str] | None = None,
    registry: Registry | None = None,
) -> Any:
    """Decorate an `async def` so every call of it runs under a gate.

    `@guard` scopes the gate to the top-level package of the decorated function;
    `@guard(scanned_modules=[...])` names them.
    """

    def decorate(func: F) -> F:
        if not inspect.iscoroutinefunction(func):
            raise TypeError(f"guard decorates async functions; {func.__qualname__} is not one")
        modules = tuple(scanned_modules or (func.__module__.partition(".")[0],))
        built: list[Gate] = []

        @functools.wraps(func)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            if not built:
                built.append(Gate(modules, registry=registry or builtin_registry()))
            with built[0]:
                return await func(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate
