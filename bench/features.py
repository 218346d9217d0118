"""The fixed list of corpus feature ids: what each labelled case exercises.

Analysis features and flake8-async eval translations are listed here; rule-family features are
the rule names of the registry (`sync-file-open`, `requests-call`, ...), so a new rule is a new
feature without an edit here.
"""

from __future__ import annotations

from blocking_io.shared_rules import builtin_registry

ANALYSIS: dict[str, str] = {
    "direct": "primitive called in an async def body",
    "transitive-same-module": "async def -> sync helper(s) in the same module",
    "transitive-cross-module": "async def -> sync helper imported from another module",
    "transitive-depth": "chains several sync calls deep, across modules",
    "self-method": "sync methods called on self / cls from async methods",
    "inherited-method": "methods inherited from a base class in another module",
    "constructor": "constructing a class whose __init__ blocks",
    "injected-object": "receiver type known from construction or an __init__ assignment",
    "annotated-receiver": "receiver type from annotations (params, attributes, return types)",
    "module-singleton": "module-level instances used from async code",
    "partial": "functools.partial objects called on the loop",
    "decorator": "decorated functions (wraps, lru_cache, staticmethod, classmethod)",
    "property": "property getters run on attribute access",
    "reexport": "names re-exported from a package __init__",
    "alias-import": "import a.b as c, from x import y as z",
    "callback": "sync callables the loop runs (call_soon, call_later, done callbacks, signals)",
    "framework-hook": "sync hooks declared as loop-entrypoints in the config",
    "framework-asyncio": "asyncio Protocol callbacks and loop callback APIs (framework pack)",
    "framework-tornado": "tornado handler methods, websocket and IOLoop callbacks (framework pack)",
    "framework-scope": "by-name framework APIs on unknown receivers count where the framework is imported",
    "framework-starlette": "FastAPI / Starlette sync startup and shutdown handlers run on the loop",
    "framework-litestar": "Litestar sync handlers and Provide dependencies run on the loop unless sync_to_thread=True",
    "framework-sanic": "Sanic sync handlers, middleware, listeners and tasks run on the loop",
    "framework-channels": "Django Channels: database_sync_to_async is an offload; sync consumers run in a thread",
    "framework-aiohttp": "aiohttp runs a sync (deprecated) route handler on the loop",
    "framework-quart": "Quart runs sync callables in an executor; its run_sync and ensure_async are offloads",
    "framework-homeassistant": "Home Assistant @callback functions on the loop; HassJob executor callbacks",
    "framework-textual": "Textual message handlers, actions, watchers and timers on the loop; thread workers",
    "framework-langchain": "LangChain agent middleware sync hooks on the loop under ainvoke",
    "offload-to_thread": "asyncio.to_thread",
    "offload-run_in_executor": "loop.run_in_executor",
    "offload-anyio": "anyio.to_thread.run_sync",
    "offload-starlette": "starlette / fastapi run_in_threadpool, BackgroundTasks",
    "offload-asgiref": "asgiref sync_to_async",
    "offload-executor": "concurrent.futures Executor.submit / map",
    "offload-thread": "threading.Thread / Timer / multiprocessing.Process targets",
    "offload-partial": "offloaded functools.partial objects",
    "offload-lambda": "offloaded lambdas",
    "offload-nested-def": "offloaded nested defs",
    "offload-args": "arguments of an offload call are evaluated on the loop",
    "lazy-iterator": "glob / iterdir / scandir / walk block only when consumed on the loop",
    "suppression": "# blocking-io: ignore[...] on the line, the def, or a chain line",
    "name-collision": "project names that look like stdlib / third-party blocking APIs",
    "async-namesake": "async APIs with the names of sync ones (aiofiles, redis.asyncio, ...)",
    "receiver-type": "the receiver's type decides (str.replace vs Path.replace)",
    "async-generator": "async generators are loop code",
    "generator-protocol": "`g.send(x)` resumes a generator (its body runs from the call that made it), no socket send",
    "async-context-manager": "__aenter__ / __aexit__ are loop code",
    "contextmanager-helper": "`with helper() as x`: x is what a @contextmanager helper yields",
    "async-callee": "awaiting an async function: findings are inside the callee",
    "sync-route": "sync FastAPI / Starlette handlers run in a threadpool",
    "module-level": "module-level code runs at import, never a finding",
    "optional-attribute": "attributes that start as None and are assigned later",
    "type-alias": "union aliases (Union[A, B], A | B, TypeAlias, PEP 695 `type`) as annotations",
    "rebinding": "a local's type at a use is that of the bindings that reach it (reassigned, re-annotated, branches)",
    "union-dispatch": "a method call on a union-typed receiver runs any member's method",
    "literal-loop": "loop variables over a literal list of typed values",
    "class-dispatch": "stub or abstract base methods dispatch to the overrides in the program",
    "mixin-after-external-base": "methods of mixins listed after a base class we cannot read",
    "module-naming": "namespace subpackages, a package shadowing a module, same-named modules",
    "sync-only": "code reachable only from sync entry points",
    "cycle": "recursion and call cycles",
    "unresolved": "calls that cannot be resolved are never reported",
    "rule-selection": "select / ignore in the config (opt-in BIO107)",
    "arg-guard": "blocking branches a caller's argument disables (`cfg or load()`, `is None`)",
    "once": "lazy initialisation: one finding per initialisation, others listed",
    "in-memory-buffer": "archives and serialisation over io.BytesIO / StringIO do no IO",
    "private-loop": "asyncio.run in a worker thread: not the service's loop (impact script)",
    "closed-world": "closed-world = true: methods of classes nothing constructs are dead code",
    "object-uses": "`with open(p) as f: f.write(x)` is one finding at the open",
}

# flake8-async's own eval files for its blocking-call rules, translated to our rule ids.
PEER_EVAL: dict[str, str] = {
    "async210": "flake8-async ASYNC210: blocking HTTP calls",
    "async211": "flake8-async ASYNC211: urllib3 request",
    "async212": "flake8-async ASYNC212: httpx.Client methods",
    "async22x": "flake8-async ASYNC220-222: subprocesses and process waits",
    "async23x": "flake8-async ASYNC230/231: open / os.fdopen",
    "async232": "flake8-async ASYNC232: blocking file-object methods",
    "async240": "flake8-async ASYNC240: os.path / pathlib",
    "async250": "flake8-async ASYNC250: input()",
    "async251": "flake8-async ASYNC251: time.sleep",
}


def rule_families() -> dict[str, str]:
    """Rule-family features: rule name -> 'BIOnnn: title', for every rule in the registry."""
    registry = builtin_registry()
    return {rule.name: f"{rule.id}: {rule.title}" for rule in registry.all_rules}


def all_features() -> dict[str, str]:
    return {**ANALYSIS, **PEER_EVAL, **rule_families()}


def family_rule(feature: str) -> str | None:
    """The rule id of a rule-family feature, else None."""
    for rule in builtin_registry().all_rules:
        if rule.name == feature:
            return rule.id
    return None
