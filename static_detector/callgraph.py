"""Per-function facts: which call sites hit a blocking primitive, call a project function,
hand work to a thread (offload) or register a loop callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blocking_io.shared_rules import ApiSpec, Match, Registry
from blocking_io.shared_rules.models import ArgCondition

from . import ir
from .astroid_path import on_import_path, tree_names
from .guards import ALWAYS, Guard, guard_of, initialises, parameters
from .reads import NONE as NO_READS
from .reads import Reads
from .resolver import Resolver, Scope
from .signatures import could_be
from .summary import CallSite, FuncSummary, FunctionKind, ModuleSummary, Origin, Use
from .values import (
    UNKNOWN,
    BoundExtV,
    ClassV,
    ExtV,
    FuncV,
    InstV,
    PartialV,
    Value,
    options,
    union,
)


@dataclass(slots=True)
class Primitive:
    match: Match
    site: CallSite
    consumed: bool = True  # lazy iterators: consumed on this thread?
    guard: Guard = ALWAYS  # what must hold of the function's parameters for it to run
    # inside a lazy initialisation (runs on the first call only): which one, `qualname:line`
    once: str | None = None


@dataclass(slots=True)
class Edge:
    callee: str  # global qualname of a sync project function
    site: CallSite
    consumed: bool = True  # generator functions run only when consumed
    # how many of the callee's parameters are bound before the site's own arguments
    # (`self` of a method call: 1); -1: the site's arguments are not the callee's
    offset: int = 0
    guard: Guard = ALWAYS
    once: str | None = None  # (as Primitive.once)


@dataclass(slots=True)
class OffloadSite:
    api: str
    site: CallSite
    target: Value


@dataclass(slots=True)
class Callback:
    callee: str
    api: str
    site: CallSite


@dataclass(slots=True)
class FunctionFacts:
    qualname: str
    module: ModuleSummary
    func: FuncSummary
    prims: list[Primitive] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    offloads: list[OffloadSite] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    unresolved: list[CallSite] = field(default_factory=list)
    # calls whose callee is unknown (`x.delete()`): any project function of that name that
    # takes those arguments may be the callee (closed-world liveness)
    unknown_calls: list[CallSite] = field(default_factory=list)
    async_calls: list[str] = field(default_factory=list)  # async project functions called here
    # of those, the coroutines handed to a background task (`create_task`) or to a loop of
    # their own (`asyncio.run`)
    spawned: list[str] = field(default_factory=list)
    run_privately: list[str] = field(default_factory=list)
    callee_values: list[Value] = field(default_factory=list, repr=False)
    lazy_returns: list[Primitive] = field(default_factory=list)

    @property
    def is_async(self) -> bool:
        return self.func.is_async


def nonblocking(
    conditions: tuple[ArgCondition, ...],
    site: CallSite | ir.Call,
    is_buffer: Callable[[ir.Expr], bool] | None = None,
) -> bool:
    """Do the call's arguments match a registry `nonblocking_if` (or a framework pack's
    `off_loop_if`) condition? Only what the source shows is judged: a literal, a flag name
    written in the argument, or (given `is_buffer`) an argument the resolver proves to be an
    in-memory buffer."""
    for condition in conditions:
        if condition.keyword is not None:
            values = [v for k, v in site.kwargs if k == condition.keyword]
        else:
            position = condition.position or 0
            values = [site.args[position]] if position < len(site.args) else []
        for value in values:
            if condition.buffer:
                if is_buffer is not None and is_buffer(value):
                    return True
            elif condition.flag is not None:
                if not isinstance(value, ir.Const) and condition.flag in ir.render(value):
                    return True
            elif isinstance(value, ir.Const) and condition.equals(value.value):
                return True
    return False


def _by_name(apis: tuple[ApiSpec, ...]) -> dict[str, tuple[ApiSpec, ...]]:
    """Method name -> the `by_name` APIs of that name, in registry order."""
    out: dict[str, tuple[ApiSpec, ...]] = {}
    for a in apis:
        if a.by_name:
            out[a.method_name] = (*out.get(a.method_name, ()), a)
    return out


class Classifier:
    """Turns each function's call sites into facts, using the resolver and the registry."""

    def __init__(self, resolver: Resolver, registry: Registry) -> None:
        self.resolver = resolver
        self.registry = registry
        self.offloads = {self._canon(a.symbol): a for a in registry.offloads}
        self.offload_names = _by_name(registry.offloads)
        self.callbacks = {self._canon(a.symbol): a for a in registry.loop_callbacks}
        self.callback_names = _by_name(registry.loop_callbacks)
        self.thread_callbacks = {self._canon(a.symbol): a for a in registry.thread_callbacks}
        # the functions the three tables above list (_hands_over's quick answer)
        self._handing_over = frozenset((*self.offloads, *self.callbacks, *self.thread_callbacks))
        self.off_loop_if = registry.off_loop_if
        self.thread_decorators = frozenset(self._canon(d) for d in registry.thread_decorators)
        self.spawns = {self._canon(a.symbol): a for a in registry.spawns}
        self.spawn_names = _by_name(registry.spawns)
        self.runners = {self._canon(a.symbol): a for a in registry.runners}
        self.runner_names = _by_name(registry.runners)
        self._calls: list[CallSite] = []  # the calls of the function being classified
        self.by_name_owners = registry.by_name_owners
        self.target_methods: dict[str, tuple[str, ...]] = {}
        for symbol in sorted(registry.symbols):
            method = symbol.rpartition(".")[2]
            self.target_methods[method] = (*self.target_methods.get(method, ()), symbol)
        # method name -> top-level modules whose classes have a target of that name: a
        # `x.get()` is worth inferring only in a module that imports requests/redis/queue...
        self.method_owners: dict[str, set[str]] = {}
        for symbol in registry.symbols:
            owner, _, method = symbol.rpartition(".")
            top = owner.partition(".")[0]
            self.method_owners.setdefault(method, set()).add(
                "" if top in ("io", "builtins") else top
            )
        self.consumers = frozenset(registry.types.builtins.consumers)
        self.caching = frozenset(registry.types.decorators.cache)
        self.buffers = frozenset(registry.types.buffers.classes)
        self._wrapped_cache: dict[str, tuple[str | None, Reads]] = {}
        self._matches: dict[Value, Match | None] = {}
        self._bound_apis: dict[tuple[int, BoundExtV], ApiSpec | None] = {}
        self._import_tops: dict[str, set[str]] = {}
        self.by_name_scope = registry.by_name_scope
        self._module: ModuleSummary | None = None  # the module of the function being classified
        self._absent: dict[str, bool] = {}  # library module -> not in the environment
        self._tree_names: frozenset[str] | None = None  # folder and file names scanned

    def _canon(self, symbol: str) -> str:
        return self.resolver.types.canonical(symbol)

    # -- API tables ------------------------------------------------------------------------
    def _api(
        self,
        value: Value,
        func: ir.Expr,
        table: dict[str, ApiSpec],
        by_name: dict[str, tuple[ApiSpec, ...]],
    ) -> ApiSpec | None:
        if isinstance(value, ExtV):
            return table.get(value.symbol)
        if isinstance(value, FuncV):
            return table.get(value.qualname)
        if isinstance(value, BoundExtV):
            # asked of each call site for each table: once per method and table (the type
            # tables and the registry do not change during a scan)
            key = (id(table), value)
            spec = self._bound_apis.get(key, _UNSET)
            if spec is _UNSET:
                spec = self._bound_apis[key] = self._bound_api(value, table, by_name)
            return spec
        if value == UNKNOWN and isinstance(func, ir.Attr):
            # several frameworks may share a name (asyncio's and tornado's run_in_executor):
            # the first one that counts in this module
            return next((s for s in by_name.get(func.attr, ()) if self._active(s)), None)
        return None

    def _bound_api(
        self, value: BoundExtV, table: dict[str, ApiSpec], by_name: dict[str, tuple[ApiSpec, ...]]
    ) -> ApiSpec | None:
        for klass in self.resolver.types.mro(value.cls):
            spec = table.get(f"{klass}.{value.method}")
            if spec:
                return spec
        # by name, also for a class of the API's own framework the type tables lack
        for spec in by_name.get(value.method, ()):
            owners = self.by_name_owners.get(spec.symbol, ())
            if any(_within(value.cls, owner) for owner in owners):
                return spec
        return None

    def _active(self, spec: ApiSpec) -> bool:
        """A by-name match on an unknown receiver counts in a module that imports the API's
        framework (or anywhere, for a pack that says so)."""
        needs = self.by_name_scope.get(spec.symbol)
        if needs is None or self._module is None:
            return True
        return bool({n.partition(".")[0] for n in needs} & self._tops(self._module))

    def _tops(self, module: ModuleSummary) -> set[str]:
        imported = self._import_tops.get(module.module)
        if imported is None:
            imported = self._import_tops[module.module] = {
                t.partition(".")[0] for targets in module.imports.values() for t in targets
            }
        return imported

    def offload_api(self, value: Value, func: ir.Expr) -> ApiSpec | None:
        return self._api(value, func, self.offloads, self.offload_names)

    def callback_api(self, value: Value, func: ir.Expr) -> ApiSpec | None:
        return self._api(value, func, self.callbacks, self.callback_names)

    def thread_callback_api(self, value: Value, func: ir.Expr) -> ApiSpec | None:
        return self._api(value, func, self.thread_callbacks, {})

    # -- matching --------------------------------------------------------------------------
    def match(self, value: Value) -> Match | None:
        if not isinstance(value, (ExtV, BoundExtV)):
            return None
        # asked several times of each call site: once per value (it depends only on the
        # registry, the type tables and what is installed, fixed during a scan)
        hit = self._matches.get(value, _UNSET)
        if hit is _UNSET:
            hit = self._matches[value] = self._match(value)
        return hit

    def _match(self, value: ExtV | BoundExtV) -> Match | None:
        if isinstance(value, ExtV):
            hit = self.registry.match(value.symbol)
        else:
            if value.cls in self.buffers:
                return None  # an in-memory file object: its "IO" is CPU work
            hit = None
            for klass in self.resolver.types.mro(value.cls):
                hit = self.registry.match(f"{klass}.{value.method}")
                if hit:
                    break
        if hit is None:
            known = self.known(value)
            hit = known[0] if known else None
        return hit

    def known(self, value: ExtV | BoundExtV) -> tuple[Match, ...]:
        """The knowledge base's matches for a call of a library API (a function, a class's
        constructor, a method of an instance), one per rule it reaches, most severe first:
        only for a library the project's environment does not have. Installed, its source
        is followed instead (dependencies.py), or it is not followed at all."""
        if isinstance(value, ExtV):
            symbols: tuple[str, ...] = (value.symbol,)
        else:
            symbols = tuple(f"{k}.{value.method}" for k in self.resolver.types.mro(value.cls))
        kb = self.registry.kb
        for symbol in symbols:
            lib = kb.library_of(symbol)
            if lib is None or not self._not_installed(lib.modules):
                continue
            hits = self.registry.known(symbol)
            if hits:
                return hits
        return ()

    def _not_installed(self, modules: tuple[str, ...]) -> bool:
        key = modules[0]
        if key not in self._absent:
            deps = self.resolver.deps
            self._absent[key] = deps is None or not any(deps.installed(m) for m in modules)
        return self._absent[key]

    def offload_decorator(self, func: FuncV) -> str | None:
        """A function decorated with an offload API (`@sync_to_async`) or a framework's
        thread decorator (`@work(thread=True)`) runs off the loop when called."""
        known = self._wrapped_cache.get(func.qualname)
        if known is not None:
            self.resolver.log.replay(known[1])
            return known[0]
        self._wrapped_cache[func.qualname] = (None, NO_READS)  # cycle guard
        log = self.resolver.log
        log.open()
        try:
            result = self._offload_decorator(func)
        finally:
            reads = log.close()
        self._wrapped_cache[func.qualname] = (result, reads)
        return result

    def _offload_decorator(self, func: FuncV) -> str | None:
        hit = self.resolver.functions.get(func.qualname)
        result = None
        if hit is not None:
            summary, fs = hit
            scope = self.resolver.module_scope(summary)
            for deco in fs.decorators:
                target = deco.func if isinstance(deco, ir.Call) else deco
                value = self.resolver.eval(scope, target)
                spec = self.offload_api(value, target)
                if spec is not None:
                    result = spec.symbol
                    break
                if isinstance(value, ExtV) and value.symbol in self.thread_decorators:
                    result = value.symbol
                    break
                if isinstance(value, FuncV):
                    api = self._wrapper_offloads(value)
                    if api is not None:
                        result = api
                        break
        return result

    def _wrapper_offloads(self, decorator: FuncV) -> str | None:
        """A project decorator whose (async) wrapper hands the decorated function to an
        offload API: `def in_thread(fn): @wraps(fn) async def w(*a): return await
        asyncio.to_thread(fn, *a)`. Calling the decorated function runs it off the loop."""
        hit = self.resolver.functions.get(decorator.qualname)
        if hit is None or not hit[1].params:
            return None
        summary, fs = hit
        param = fs.params[0][0]
        prefix = f"{fs.qualname}.<locals>."
        for rel, nested in summary.functions.items():
            if not rel.startswith(prefix) or not nested.is_async:
                continue
            scope = Scope(summary, nested, f"{summary.module}.{rel}")
            for site in nested.calls:
                spec = self.offload_api(self.resolver.eval(scope, site.func), site.func)
                arg = self._arg(site, spec) if spec is not None else None
                if isinstance(arg, ir.Name) and arg.id == param:
                    return spec.symbol  # type: ignore[union-attr]
        return None

    def callable_target(self, scope: Scope, expr: ir.Expr) -> Value:
        """What a callable argument refers to (a function, a partial, a lambda, a bound method)."""
        value = self.resolver.eval(scope, expr)
        while isinstance(value, PartialV):
            value = value.func
        return value

    # -- classification --------------------------------------------------------------------
    def facts(self, qualname: str, summary: ModuleSummary, fs: FuncSummary) -> FunctionFacts:
        scope = Scope(summary, fs, qualname)
        facts = FunctionFacts(qualname, summary, fs)
        self._module = summary
        calls = fs.calls
        values: list[Value] = []
        # each site where it is: a rebound name has the type of the binding that reaches it
        at = self.resolver.at
        scopes = [
            at(
                scope,
                site.stmt_line,
                site.region,
                site.func,
                *site.args,
                *(v for _, v in site.kwargs),
            )
            for site in calls
        ]
        for site, site_scope in zip(calls, scopes, strict=True):
            values.append(self._callee(site_scope, site))
        facts.callee_values = values
        self._calls = calls
        for index, site in enumerate(calls):
            for value in self._candidates(site, values[index]):
                self._classify(scopes[index], facts, index, site, values, value)
        self._properties(scope, facts)
        self._conditions(scope, facts)
        return facts

    def _conditions(self, scope: Scope, facts: FunctionFacts) -> None:
        """The guard on the function's parameters of each primitive and call, and whether it
        sits in a lazy initialisation (or the function caches its result)."""
        fs = facts.func
        params = parameters(fs)
        cached = self._caches_result(scope, fs)
        lazy = self.lazy_names(scope, fs)
        for prim in (*facts.prims, *facts.lazy_returns):
            prim.guard = guard_of(fs, prim.site, params)
            prim.once = self._once(facts, prim.site, cached, lazy, prim.match)
        for edge in facts.edges:
            edge.guard = guard_of(fs, edge.site, params)
            edge.once = self._once(facts, edge.site, cached, lazy, None)

    def _once(
        self,
        facts: FunctionFacts,
        site: CallSite,
        cached: bool,
        lazy: frozenset[str],
        primitive: Match | None,
    ) -> str | None:
        """Which initialisation a call belongs to, if it runs only on a first call: a
        function that caches its result, a lazy initialisation around the call, or a
        primitive that caches what it does per process (a first import)."""
        if cached:
            return facts.qualname
        region = initialises(facts.func, site, lazy)
        if region is not None:
            return f"{facts.qualname}:{region.line}"
        if primitive is not None and (
            primitive.rule.once or (primitive.known is not None and primitive.known.once)
        ):
            return f"{facts.qualname}:{site.line}"
        return None

    def _caches_result(self, scope: Scope, fs: FuncSummary) -> bool:
        """`@functools.cache`, `@lru_cache(...)`, `@cached_property`: runs once (per key)."""
        for deco in fs.decorators:
            target = deco.func if isinstance(deco, ir.Call) else deco
            if ir.dotted(target) in self.caching:
                return True
            value = self.resolver.eval(self.resolver.enclosing(scope), target)
            if isinstance(value, ExtV) and value.symbol in self.caching:
                return True
        return False

    def lazy_names(self, scope: Scope, fs: FuncSummary) -> frozenset[str]:
        """Globals and `self.` attributes this function assigns: a test of one of them
        being unset, around the assignment, is a lazy initialisation."""
        names = {g for g in fs.globals_declared if g in fs.assigned}
        if fs.class_name is not None:
            hit = self.resolver.classes.get(f"{scope.module.module}.{fs.class_name}")
            rel = fs.qualname
            if hit is not None:
                for attr, sources in hit[1].attrs.items():
                    if any(where == rel for where, _ in sources):
                        names.update((f"self.{attr}", f"cls.{attr}"))
        return frozenset(names)

    def add_inferred(self, facts: FunctionFacts, site: CallSite, value: Value) -> bool:
        """A primitive proven by astroid at a site the resolver left unresolved."""
        match = self.match(value)
        if match is None or nonblocking(match.target.nonblocking_if, site):
            return False
        consumed = self._consumed(facts, site, facts.callee_values) if match.lazy else True
        facts.prims.append(Primitive(match, site, consumed))
        facts.unresolved.remove(site)
        return True

    def _callee(self, scope: Scope, site: CallSite) -> Value:
        if site.protocol is not None:
            receiver = (
                self.resolver.eval(scope, site.func.value)
                if isinstance(site.func, ir.Attr)
                else UNKNOWN
            )
            return union(
                self._protocol_method(option, site.protocol) for option in options(receiver)
            )
        return self.resolver.eval(scope, site.func)

    def _candidates(self, site: CallSite, value: Value) -> tuple[Value, ...]:
        """What a call may run: each member's method on a union (`A | B`). An awaited call
        returns an awaitable, which no sync blocking primitive does: on a receiver typed
        `AsyncClient | Client` (whose async member the types may not describe), an awaited
        `create()` is the async client's, not the sync one's; on a parameter annotated
        `Session` that is an `AsyncSession`, `await session.execute(q)` is the async one."""
        members = options(value)
        if site.context is Use.AWAIT:
            return tuple(m for m in members if self.match(m) is None)
        if len(members) > 1:
            # of `Path | str`, `v.replace("a", "b")` can only be the str method: a member
            # whose signature cannot take these arguments is not what runs
            keywords = [k for k, _ in site.kwargs]
            members = tuple(
                m
                for m in members
                if not isinstance(m, BoundExtV)
                or (hit := self.match(m)) is None
                or could_be(hit.symbol, len(site.args), keywords, site.unpacks)
            )
        return members

    def _protocol_method(self, receiver: Value, protocol: str) -> Value:
        if not isinstance(receiver, InstV):
            return UNKNOWN
        if receiver.external:
            return BoundExtV(receiver.cls, protocol)
        member = self.resolver.class_member(receiver.cls, protocol)
        return member if isinstance(member, (FuncV, BoundExtV)) else UNKNOWN

    def _classify(
        self,
        scope: Scope,
        facts: FunctionFacts,
        index: int,
        site: CallSite,
        values: list[Value],
        value: Value,
    ) -> None:
        if site.protocol is None and self._hands_over(scope, facts, site, value):
            return
        while isinstance(value, PartialV):
            value = value.func
        primitive = self.match(value)
        if primitive is not None:
            if not self._in_memory(scope, site, primitive, value):
                known = primitive.known is not None and isinstance(value, (ExtV, BoundExtV))
                for hit in self.known(value) if known else (primitive,):  # type: ignore[arg-type]
                    self._add_primitive(facts, site, hit, values)
            return
        match value:
            case ClassV(qualname=cls):
                self._construct(facts, site, cls, values)
            case FuncV(qualname=callee) if callee in self.resolver.functions:
                self._call_function(scope, facts, site, callee, values)
            case InstV(cls=cls, external=False) if site.protocol is None:
                call = self.resolver.class_member(cls, "__call__")
                if isinstance(call, FuncV) and not self._is_async(call):
                    facts.edges.append(Edge(call.qualname, site, offset=1))
            case ExtV(symbol=symbol) if symbol.startswith("builtins."):
                self._consumer_arguments(scope, facts, site, symbol)
            case _ if value == UNKNOWN and site.protocol is None:
                facts.unknown_calls.append(site)
                if isinstance(site.func, ir.Attr) and self._worth_inferring(scope, site, site.func):
                    facts.unresolved.append(site)

    def _in_memory(self, scope: Scope, site: CallSite, primitive: Match, value: Value) -> bool:
        """The call cannot block: its arguments match a `nonblocking_if`, or it builds an
        in-memory object (`zipfile.ZipFile(io.BytesIO())`: a buffer type variant)."""

        def is_buffer(expr: ir.Expr) -> bool:
            return self.resolver.is_buffer(scope, expr)

        if nonblocking(primitive.target.nonblocking_if, site, is_buffer):
            return True
        if isinstance(value, ExtV) and site.protocol is None:
            call = ir.Call(site.func, site.args, site.kwargs)
            made = self.resolver.result_of(scope, value, call)
            return isinstance(made, InstV) and made.cls in self.buffers
        return False

    def _hands_over(self, scope: Scope, facts: FunctionFacts, site: CallSite, value: Value) -> bool:
        """A call that takes a callable and runs it elsewhere: in a thread (an offload, a
        thread callback) or later on the loop (a loop callback). Records it; True if so."""
        # most callees are functions none of the tables lists: one set lookup, not three
        if isinstance(value, FuncV) and value.qualname not in self._handing_over:
            return False
        if isinstance(value, ExtV) and value.symbol not in self._handing_over:
            return False
        offload = self.offload_api(value, site.func)
        if offload is not None:
            target = self._offload_target(scope, site, offload)
            facts.offloads.append(OffloadSite(offload.symbol, site, target))
            return True
        if self.thread_callback_api(value, site.func) is not None:
            return True  # runs its callable in another thread: neither loop code nor an offload
        callback = self.callback_api(value, site.func)
        if callback is None:
            return False
        if nonblocking(self.off_loop_if.get(callback.symbol, ()), site):
            return True  # these arguments make the framework run it off the loop
        for argument in _callables(site, callback):
            resolved = self.callable_target(scope, argument)
            if isinstance(resolved, FuncV):
                facts.callbacks.append(Callback(resolved.qualname, callback.symbol, site))
        return True

    def _add_primitive(
        self, facts: FunctionFacts, site: CallSite, primitive: Match, values: list[Value]
    ) -> None:
        consumed = True
        if primitive.lazy:
            consumed = self._consumed(facts, site, values)
            if site.context is Use.RETURN or (site.bound_to and self._returned(facts, site)):
                facts.lazy_returns.append(Primitive(primitive, site, consumed=False))
        facts.prims.append(Primitive(primitive, site, consumed))

    def _construct(
        self, facts: FunctionFacts, site: CallSite, cls: str, values: list[Value]
    ) -> None:
        """`Cls(...)` runs `Cls.__init__`: a project one, or an external base's (a project
        subclass of `zipfile.ZipFile` opens its file as the base does)."""
        init = self.resolver.class_member(cls, "__init__")
        if isinstance(init, FuncV) and not self._is_async(init):
            facts.edges.append(Edge(init.qualname, site, offset=1))
        elif isinstance(init, BoundExtV):
            base = self.registry.match(init.cls)
            if base is not None and not nonblocking(base.target.nonblocking_if, site):
                self._add_primitive(facts, site, base, values)

    def _call_function(
        self, scope: Scope, facts: FunctionFacts, site: CallSite, callee: str, values: list[Value]
    ) -> None:
        if self._is_async(FuncV(callee)):
            facts.async_calls.append(callee)
            runs = self._coroutine_runner(site, values)
            if runs == "spawn":
                facts.spawned.append(callee)
            elif runs == "runner":
                facts.run_privately.append(callee)
            return
        if self.offload_decorator(FuncV(callee)):
            return
        _, summary = self.resolver.functions[callee]
        consumed = True
        if summary.is_generator:
            # a @contextmanager's body runs when `with` enters what the call made
            entered = site.context is Use.WITH and self.resolver.makes_context_manager(callee)
            consumed = entered or self._consumed(facts, site, values)
        facts.edges.append(Edge(callee, site, consumed, offset=self._offset(scope, site, summary)))
        if summary.is_stub and not _explicit_class_call(site.func):
            # a receiver typed by a base whose method is abstract: its overrides run
            for impl in self.resolver.overrides(callee):
                if not self._is_async(FuncV(impl)):
                    _, body = self.resolver.functions[impl]
                    offset = self._offset(scope, site, body)
                    facts.edges.append(Edge(impl, site, consumed, offset=offset))

    def _coroutine_runner(self, site: CallSite, values: list[Value]) -> str | None:
        """ "spawn" or "runner" when the coroutine made at `site` is handed to one."""
        if site.context is not Use.ARG or site.parent < 0:
            return None
        parent = values[site.parent]
        func = self._calls[site.parent].func
        if self._api(parent, func, self.spawns, self.spawn_names) is not None:
            return "spawn"
        if self._api(parent, func, self.runners, self.runner_names) is not None:
            return "runner"
        return None

    def _offset(self, scope: Scope, site: CallSite, callee: FuncSummary) -> int:
        """Parameters of `callee` bound before the site's arguments: `self` or `cls` of a
        method called on an instance or class (not `Class.method(obj, ...)`)."""
        if callee.class_name is None or callee.kind is not FunctionKind.FUNCTION:
            return 0
        names = {ir.dotted(d) for d in callee.decorators}
        if "staticmethod" in names:
            return 0
        if "classmethod" in names:
            return 1
        if isinstance(site.func, ir.Attr):
            receiver = self.resolver.eval(scope, site.func.value)
            return 0 if isinstance(receiver, ClassV) else 1
        return 0

    def _consumer_arguments(
        self, scope: Scope, facts: FunctionFacts, site: CallSite, symbol: str
    ) -> None:
        """Lambdas and nested defs handed to builtins that call them right away (`sorted(
        key=...)`, `map(f, xs)`) run here."""
        if symbol[len("builtins.") :] not in self.consumers:
            return
        for arg in (*site.args, *(v for k, v in site.kwargs if k == "key")):
            if isinstance(arg, ir.FuncRef):
                qualname = f"{scope.module.module}.{arg.qualname}"
                if qualname in self.resolver.functions:
                    facts.edges.append(Edge(qualname, site, offset=-1))

    def _worth_inferring(self, scope: Scope, site: CallSite, func: ir.Attr) -> bool:
        """Whether astroid should look at an untyped `x.name(...)`: `name` is a target method
        the call's arguments fit, the result is not awaited (a blocking primitive returns no
        awaitable), and astroid has something to follow."""
        symbols = self.target_methods.get(func.attr)
        if not symbols or site.context is Use.AWAIT:
            return False
        keywords = [k for k, _ in site.kwargs]
        if not any(could_be(s, len(site.args), keywords, site.unpacks) for s in symbols):
            return False
        return (
            self._inferable(scope, func.value)
            and self._owner_imported(scope, func.attr)
            and not self._from_unloadable(scope, func.value)
        )

    def _owner_imported(self, scope: Scope, method: str) -> bool:
        owners = self.method_owners.get(method, set())
        if "" in owners:  # file objects come from the builtin open()
            return True
        # ... and astroid can load one of them: sqlalchemy's `q.all()` is not worth building
        # the module for when astroid cannot find sqlalchemy (astroid_path.py)
        return any(self._astroid_loads(top) for top in owners & self._tops(scope.module))

    def _from_unloadable(self, scope: Scope, receiver: ir.Expr, depth: int = 0) -> bool:
        """The receiver is built from a package astroid cannot load (`async with
        aiohttp.ClientSession() as s: s.get(url)` without aiohttp beside blocking-io):
        astroid infers it as uninferable, which reports nothing, so the module is not built
        for it. Only through attributes, calls, subscripts, loop elements and `with`
        targets, and only for names whose every binding the summary records leads there."""
        while True:
            if isinstance(receiver, (ir.Attr, ir.Subscript, ir.Element)):
                receiver = receiver.value
            elif isinstance(receiver, ir.Call):
                receiver = receiver.func
            elif (manager := _entered(receiver)) is not None:  # `async with m as x`
                receiver = manager
            else:
                break
        if isinstance(receiver, ir.ImportOf):
            return not self._astroid_loads(receiver.target.partition(".")[0])
        if not isinstance(receiver, ir.Name) or depth > 8:
            return False
        fs, name = scope.func, receiver.id
        if name in fs.globals_declared or any(param == name for param, _ in fs.params):
            return False
        if name in fs.locals:
            values = fs.locals[name]
            return all(self._from_unloadable(scope, v, depth + 1) for v in values)
        module = scope.module
        if ".<locals>." in fs.qualname or name in module.globals or name not in module.imports:
            return False  # a free name of a closure, a global, a star import: not judged
        return not any(
            self._astroid_loads(t.partition(".")[0]) and not self.resolver.names_nothing(t)
            for t in module.imports[name]
        )

    def _astroid_loads(self, top: str) -> bool:
        if self._tree_names is None:
            self._tree_names = tree_names(
                (m.module, m.path)
                for m in self.resolver.modules.values()
                if m.origin is Origin.PROJECT
            )
        return top in self._tree_names or on_import_path(top)

    def _inferable(self, scope: Scope, receiver: ir.Expr) -> bool:
        """Worth handing to astroid: the receiver is built from a local variable or a module
        name, which astroid can follow. Parameters without a usable annotation and
        attributes of them are as opaque to astroid as to us (it does not infer arguments
        from call sites), and asking anyway made astroid most of a cold scan."""
        while isinstance(receiver, (ir.Attr, ir.Subscript, ir.Call)):
            receiver = receiver.func if isinstance(receiver, ir.Call) else receiver.value
        if not isinstance(receiver, ir.Name):
            return isinstance(receiver, (ir.Const, ir.Tuple))
        while True:  # a closure's free name may be a parameter of an enclosing function
            fs = scope.func
            if any(param == receiver.id for param, _ in fs.params):
                return False
            if receiver.id in fs.locals or ".<locals>." not in fs.qualname:
                break
            scope = self.resolver.enclosing(scope)
        if receiver.id in fs.locals:
            # `buffer = self._fp; buffer.read()` is no more inferable than `self._fp.read()`
            bindings = fs.locals[receiver.id]
            return not all(self._opaque(fs, b, {receiver.id}) for b in bindings)
        return receiver.id not in ("self", "cls")

    def _opaque(self, fs: FuncSummary, expr: ir.Expr, seen: set[str]) -> bool:
        """Built only from this function's parameters (an attribute, item, element or call
        result of one), directly or through locals bound only so. Anything else, and any
        binding the summary could not express, may be inferable."""
        while isinstance(expr, (ir.Attr, ir.Subscript, ir.Call, ir.Element, ir.Await)):
            expr = expr.func if isinstance(expr, ir.Call) else expr.value
        if not isinstance(expr, ir.Name):
            return False
        if expr.id in seen:  # `node = node.parent`: the other bindings decide
            return True
        if any(param == expr.id for param, _ in fs.params):
            return True
        if expr.id not in fs.locals:
            return False
        seen.add(expr.id)
        return all(self._opaque(fs, b, seen) for b in fs.locals[expr.id])

    def _is_async(self, func: FuncV) -> bool:
        hit = self.resolver.functions.get(func.qualname)
        return bool(hit and hit[1].is_async)

    def _arg(self, site: CallSite, spec: ApiSpec) -> ir.Expr | None:
        for key, value in site.kwargs:
            if key in spec.func_kwarg:
                return value
        if spec.func_arg is not None and spec.func_arg < len(site.args):
            return site.args[spec.func_arg]
        return None

    def _offload_target(self, scope: Scope, site: CallSite, spec: ApiSpec) -> Value:
        arg = self._arg(site, spec)
        if arg is None:
            return UNKNOWN
        return self.callable_target(scope, arg)

    def _is_offload_call(self, values: list[Value], calls: list[CallSite], index: int) -> bool:
        if index < 0 or index >= len(calls):
            return False
        return self.offload_api(values[index], calls[index].func) is not None

    def _consumed(self, facts: FunctionFacts, site: CallSite, values: list[Value]) -> bool:
        """Is a lazy iterator created at `site` consumed on this (the loop's) thread?"""
        calls = facts.func.calls
        if site.context is Use.ARG:
            return not self._is_offload_call(values, calls, site.parent)
        if site.context in (Use.STMT, Use.RETURN, Use.AWAIT, Use.WITH):
            return False
        if site.context is Use.ASSIGN:
            if not site.bound_to:
                return True
            uses = facts.func.name_uses.get(site.bound_to, [])
            for use in uses:
                if use.context is Use.ARG and self._is_offload_call(values, calls, use.parent):
                    continue
                if use.context in (Use.RETURN, Use.STMT):
                    continue
                return True
            return False
        return True

    def _returned(self, facts: FunctionFacts, site: CallSite) -> bool:
        uses = facts.func.name_uses.get(site.bound_to or "", [])
        return any(use.context is Use.RETURN for use in uses)

    def _properties(self, scope: Scope, facts: FunctionFacts) -> None:
        """`obj.prop` where prop is a project @property runs the getter: a hidden call."""
        for expr, line, col, region in facts.func.attr_loads:
            if not isinstance(expr, ir.Attr):
                continue
            here = self.resolver.at(scope, line, region, expr.value)
            receiver = self.resolver.eval(here, expr.value)
            for option in options(receiver):
                if not isinstance(option, InstV) or option.external:
                    continue
                member = self.resolver.class_member(option.cls, expr.attr)
                if (
                    isinstance(member, FuncV)
                    and self.resolver.is_property(member)
                    and not self._is_async(member)
                ):
                    site = CallSite(
                        func=expr, args=(), kwargs=(), line=line, col=col, end_line=line,
                        end_col=col + len(ir.render(expr)), context=Use.OTHER,
                    )  # fmt: skip
                    facts.edges.append(Edge(member.qualname, site, offset=1))


_UNSET: Any = object()  # not in a memo yet (None is an answer)


def _callables(site: CallSite, spec: ApiSpec) -> list[ir.Expr]:
    """Every callable a loop callback API is handed: each keyword of `func_kwarg` given and
    the `func_arg` position, a list or tuple display (`on_startup=[f, g]`) item by item."""
    given = [value for key, value in site.kwargs if key in spec.func_kwarg]
    if spec.func_arg is not None and spec.func_arg < len(site.args):
        given.append(site.args[spec.func_arg])
    return [
        item for expr in given for item in (expr.items if isinstance(expr, ir.Tuple) else (expr,))
    ]


def _within(symbol: str, module: str) -> bool:
    return symbol == module or symbol.startswith(module + ".")


def _explicit_class_call(func: ir.Expr) -> bool:
    """`super().m()`, `Base.m(self)`: that class's method itself, not an override."""
    if not isinstance(func, ir.Attr):
        return False
    receiver = func.value
    if isinstance(receiver, ir.Call):
        return isinstance(receiver.func, ir.Name) and receiver.func.id == "super"
    return isinstance(receiver, ir.Name) and receiver.id[:1].isupper()


def _entered(expr: ir.Expr) -> ir.Expr | None:
    """`await m.__aenter__()`, what `async with m as x` binds x to in a summary: m."""
    if (
        isinstance(expr, ir.Await)
        and isinstance(expr.value, ir.Call)
        and isinstance(expr.value.func, ir.Attr)
        and expr.value.func.attr == "__aenter__"
    ):
        return expr.value.func.value
    return None
