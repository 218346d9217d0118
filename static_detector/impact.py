"""How often a finding blocks the loop, from the facts about its entry points (impact).

request > background > lifecycle > once > script:

- request: an entry point the service runs per request, message or event (the default for
  an async function nothing in the project calls: a framework does);
- background: a coroutine handed to a background task (`create_task`) outside request
  handling, and what it awaits;
- lifecycle: start-up and shut-down (an entry point named like `startup`, `lifespan`,
  `close`: data/impact.toml);
- once: a lazy initialisation (the first call blocks, later ones read what it made);
- script: code on a loop of its own: a coroutine given to `asyncio.run()` or
  `run_until_complete()`, a module in a scripts/tools folder, or a file that no import
  can load (it runs only as a script).

An async function that project code awaits takes the most frequent impact of its callers.
"""

from __future__ import annotations

from collections import deque
from pathlib import PurePosixPath

from blocking_io.shared_rules import Registry
from blocking_io.shared_rules.reports import Impact

from . import ir
from .callgraph import FunctionFacts
from .exposure import Root, RootKind
from .resolver import Resolver
from .summary import Origin
from .values import FuncV

MAIN = "<__main__>"  # a module's top level, running a coroutine with asyncio.run()


# Impact.rank, once (it looks the member up in the list of all of them on every call)
_RANK = {impact: impact.rank for impact in Impact}


def more_frequent(a: Impact, b: Impact) -> Impact:
    return a if _RANK[a] <= _RANK[b] else b


def less_frequent(a: Impact, b: Impact) -> Impact:
    return a if _RANK[a] >= _RANK[b] else b


class Impacts:
    """The impact of every loop root."""

    def __init__(
        self,
        resolver: Resolver,
        facts: dict[str, FunctionFacts],
        roots: dict[str, Root],
        registry: Registry,
    ) -> None:
        self.resolver = resolver
        knowledge = registry.impact
        self.lifecycle = frozenset(knowledge.lifecycle_names)
        self.script_folders = frozenset(knowledge.script_folders)
        self.runners = {resolver.types.canonical(a.symbol) for a in registry.runners}
        self.timers = {a.symbol for a in registry.loop_callbacks if a.timer}
        self.startup = registry.lifecycle_apis
        # caller -> callee edges between async functions, and how the callee is run
        incoming: dict[str, list[tuple[str, Impact | None]]] = {}
        for qualname in sorted(facts):
            f = facts[qualname]
            spawned, private = set(f.spawned), set(f.run_privately)
            for callee in f.async_calls:
                how = Impact.SCRIPT if callee in private else None
                if callee in spawned:
                    how = Impact.BACKGROUND
                incoming.setdefault(callee, []).append((qualname, how))
            for callback in f.callbacks:
                how = Impact.BACKGROUND if callback.api in self.timers else None
                if callback.api in self.startup:
                    how = Impact.LIFECYCLE
                incoming.setdefault(callback.callee, []).append((qualname, how))
        for qualname in self._main_runs():
            incoming.setdefault(qualname, []).append((MAIN, Impact.SCRIPT))
        self.impact: dict[str, Impact] = {}
        queue: deque[str] = deque()
        for qualname in sorted(roots):
            if qualname not in incoming:
                self.impact[qualname] = self._entry(qualname, facts.get(qualname), roots[qualname])
                queue.append(qualname)
        # from the entry points to what they await: the most frequent way in wins
        callees: dict[str, list[tuple[str, Impact | None]]] = {}
        for callee, sources in incoming.items():
            for caller, how in sources:
                callees.setdefault(caller, []).append((callee, how))
        for callee, sources in incoming.items():
            if any(caller == MAIN for caller, _ in sources):
                self._lower(callee, Impact.SCRIPT, queue)
        while queue:
            caller = queue.popleft()
            current = self.impact[caller]
            for callee, how in callees.get(caller, ()):
                self._lower(callee, _through(current, how), queue)
        for qualname, root in roots.items():
            # run only from code that is no loop root itself (a callback a sync helper
            # registers, a cycle of awaits): by how it is run, else as an entry point
            if qualname not in self.impact:
                hows = {how for _, how in incoming.get(qualname, ())}
                if hows and None not in hows:  # only spawned, or only run on private loops
                    ways = sorted((h for h in hows if h is not None), key=_RANK.__getitem__)
                    self.impact[qualname] = ways[0]
                else:
                    self.impact[qualname] = self._entry(qualname, facts.get(qualname), root)

    def _lower(self, qualname: str, impact: Impact, queue: deque[str]) -> None:
        known = self.impact.get(qualname)
        better = impact if known is None else more_frequent(known, impact)
        if better != known:
            self.impact[qualname] = better
            queue.append(qualname)

    def _entry(self, qualname: str, f: FunctionFacts | None, root: Root) -> Impact:
        """An entry point (nothing in the project runs it): by where it lives and its name."""
        if f is not None and self._in_script_folder(f.module.path, f.module.module):
            return Impact.SCRIPT
        if f is not None and "@" in f.module.module:
            # a file no import can load (a package `x/` shadows `x.py`; a second `tool.py`
            # among scripts): it runs only as a script, if at all
            return Impact.SCRIPT
        if root.kind is RootKind.FRAMEWORK:
            # a framework runs it at start-up, or per request, message or connection
            # (`WebSocketHandler.open` opens a connection, not a resource at start-up)
            return Impact.LIFECYCLE if root.lifecycle else Impact.REQUEST
        name = qualname.rpartition(".")[2].strip("_").lower()
        for word in (name, name.removeprefix("on_"), name.removesuffix("_app")):
            if word in self.lifecycle or f"__{word}__" in self.lifecycle:
                return Impact.LIFECYCLE
        if root.kind is RootKind.ENTRYPOINT and name.startswith(("on_startup", "on_shutdown")):
            return Impact.LIFECYCLE
        return Impact.REQUEST

    def _in_script_folder(self, path: str, module: str) -> bool:
        """`scripts/x.py`, `tools/x.py` at a root; not `agent/tools/x.py`, a subpackage of
        the service that its code imports."""
        subpackages = set(module.split(".")[1:-1])
        return any(
            part in self.script_folders and part not in subpackages
            for part in PurePosixPath(path).parts[:-1]
        )

    def _main_runs(self) -> list[str]:
        """Async functions a module runs with `asyncio.run(...)` at its top level (a script
        guarded by `if __name__ == "__main__":` or not)."""
        out = []
        for module in list(self.resolver.modules.values()):  # (eval may load dependencies)
            fs = module.functions.get("<module>")
            if module.origin is not Origin.PROJECT or fs is None:
                continue
            scope = self.resolver.module_scope(module)
            for site in fs.calls:
                if site.context.name != "ARG" or site.parent < 0:
                    continue
                outer = fs.calls[site.parent].func
                runner = self.resolver.eval(scope, outer)
                symbol = getattr(runner, "symbol", None)
                by_name = isinstance(outer, ir.Attr) and outer.attr == "run_until_complete"
                if symbol not in self.runners and not by_name:
                    continue
                callee = self.resolver.eval(scope, site.func)
                if isinstance(callee, FuncV):
                    out.append(callee.qualname)
        return out

    def of(self, root: str, once: str | None) -> Impact:
        impact = self.impact.get(root, Impact.REQUEST)
        return less_frequent(impact, Impact.ONCE) if once is not None else impact


def _through(caller: Impact, how: Impact | None) -> Impact:
    """What a callee run by a caller of `caller` impact gets: the same when awaited; a
    background task is per request from a request handler, a script's in a script, and
    background otherwise (started at start-up, it keeps running); a private loop is a
    script's."""
    if how is Impact.SCRIPT or caller is Impact.SCRIPT:
        return Impact.SCRIPT
    if how is Impact.BACKGROUND:
        return Impact.REQUEST if caller is Impact.REQUEST else Impact.BACKGROUND
    if how is Impact.LIFECYCLE:  # a start-up hook runs at start-up, whoever registers it
        return Impact.LIFECYCLE
    return caller
