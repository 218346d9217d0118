"""Which functions the gate intercepts: Blockbuster's own plus what the registry adds.

Every key of an active rule's `runtime` spec is installed. Blockbuster's function (with its
allow-lists and predicates) is used when it has the key; otherwise the gate builds a
`BlockBusterFunction` of its own from `OWN_KEYS` below: Blockbuster's checker and stack walk,
with allow-lists for the interpreter, pytest, coverage and asyncio internals that legitimately
do these calls on the loop.
"""

from __future__ import annotations

import asyncio
import enum
import importlib.util
import ipaddress
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from blockbuster import BlockBuster, BlockBusterFunction
from blockbuster.blockbuster import _ModulePaths, _socket_exclude
from blocking_io.shared_rules.models import ArgCondition

from .conditions import compile_conditions
from .resolve import KeyNotFound, importable, resolve_key

CanBlock = list[tuple[str, Iterable[str]]]

# Machinery that reads files or stats on the loop on behalf of the interpreter or the test
# tools, never for the project: source lines for tracebacks and warnings, imports, pytest's
# assertion rewriting, coverage.py.
_TOOLS: CanBlock = [
    ("linecache.py", {"checkcache", "updatecache", "lazycache"}),
    ("<frozen linecache>", {"checkcache", "updatecache", "lazycache"}),
    ("tokenize.py", {"open", "detect_encoding"}),
    ("<frozen importlib._bootstrap_external>", {"get_data", "path_stats", "_path_stat"}),
    ("<frozen importlib._bootstrap>", {"_find_and_load"}),
    ("_pytest/assertion/rewrite.py", {"_rewrite_test", "_read_pyc", "_write_pyc", "try_makedirs"}),
    ("coverage/control.py", {"_should_trace"}),
    ("coverage/python.py", {"get_python_source", "read_python_source"}),
]
# asyncio's own non-blocking APIs: subprocess start-up (fork/exec, pipe fds), pipe transports,
# sendfile, unix servers, child watchers. (Never `_run_once`: every task runs inside it.)
_ASYNCIO: CanBlock = [
    ("asyncio/base_events.py", {"subprocess_exec", "subprocess_shell", "sendfile"}),
    ("asyncio/unix_events.py", {"_start", "__init__", "_sock_sendfile_native"}),
    ("asyncio/unix_events.py", {"create_unix_server", "_stop_serving"}),
    ("asyncio/unix_events.py", {"_do_wait", "_do_waitpid", "_do_waitpid_all", "_sig_chld"}),
]
_DEFAULT: CanBlock = _TOOLS + _ASYNCIO
# Short critical sections of thread-safe stdlib objects: a contended `with lock:` there is
# a wait of microseconds, not IO. Real waits (Condition.wait, Thread.join, Queue.get,
# Future.result) block in Lock.acquire, which stays intercepted.
_LOCK_SECTIONS: CanBlock = [
    ("threading.py", {"start", "set", "clear", "is_set", "notify", "notify_all", "__enter__"}),
    ("threading.py", {"_acquire_restore", "_release_save", "_is_owned", "_bootstrap_inner"}),
    ("concurrent/futures/_base.py", {"add_done_callback", "cancel", "cancelled", "running"}),
    ("concurrent/futures/_base.py", {"done", "set_running_or_notify_cancel", "set_result"}),
    ("concurrent/futures/_base.py", {"set_exception", "_invoke_callbacks", "__repr__"}),
    ("concurrent/futures/thread.py", {"submit", "_adjust_thread_count", "shutdown"}),
    ("asyncio/base_events.py", {"shutdown_default_executor", "run_in_executor"}),
    ("asyncio/futures.py", {"_chain_future", "wrap_future", "_call_check_cancel"}),
    ("asyncio/events.py", {"get_event_loop_policy", "_init_event_loop_policy"}),
    ("queue.py", {"put_nowait", "get_nowait", "qsize", "empty", "full", "task_done"}),
    ("logging/__init__.py", {"_acquireLock", "_releaseLock", "acquire", "release", "handle"}),
    ("logging/__init__.py", {"flush", "emit", "getLogger", "_clear_cache", "isEnabledFor"}),
    ("/pydevd.py", {"_do_wait_suspend"}),
]


def _numeric_host(host: Any = None, *_: Any, **__: Any) -> bool:
    """No DNS is needed for an IP literal (or no host at all)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if isinstance(host, tuple):  # getnameinfo((host, port), flags)
        host = host[0]
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return False
    return True


def _loop_selector(selector: Any, *_: Any, **__: Any) -> bool:
    """The running loop waiting on its own selector (in a project that runs its own loop)."""
    loop = asyncio.get_running_loop()
    return getattr(loop, "_selector", None) is selector


def _memory_db(database: Any = None, *_: Any, **__: Any) -> bool:
    return isinstance(database, str) and (database == ":memory:" or "mode=memory" in database)


def _already_imported(name: Any = None, package: Any = None, *_: Any, **__: Any) -> bool:
    """`importlib.import_module` of a module in `sys.modules` is a dictionary lookup."""
    try:
        full = importlib.util.resolve_name(name, package) if str(name).startswith(".") else name
    except (ImportError, ValueError, TypeError, AttributeError):
        return False
    return isinstance(full, str) and full in sys.modules


def _statement_imported(name: Any = None, *args: Any, **kwargs: Any) -> bool:
    """`importlib.__import__(name, globals, locals, fromlist, level)` that finds everything in
    `sys.modules` (or as attributes of a loaded package) reads no file."""
    names = ("globals", "locals", "fromlist", "level")
    given = min(len(names), len(args))
    params = dict(zip(names[:given], args[:given], strict=True), **kwargs)
    namespace = params.get("globals") or {}
    level = params.get("level") or 0
    try:
        if level:
            package = namespace.get("__package__") or namespace.get("__name__", "")
            full = importlib.util.resolve_name("." * level + (name or ""), package)
        else:
            full = name
    except (ImportError, ValueError, TypeError, AttributeError):
        return False
    module = sys.modules.get(full) if isinstance(full, str) else None
    if module is None:
        return False
    return all(
        item == "*" or hasattr(module, item) or f"{full}.{item}" in sys.modules
        for item in params.get("fromlist") or ()
    )


def _sqlalchemy_greenlet(*_: Any, **__: Any) -> bool:
    """SQLAlchemy's asyncio extension runs the sync Session / Connection code inside its own
    greenlet, where the driver's IO awaits on the loop instead of blocking it."""
    greenlet = sys.modules.get("greenlet")
    if greenlet is None:
        return False
    current = greenlet.getcurrent()
    return bool(
        getattr(current, "__sqlalchemy_greenlet_provider__", False)
        or type(current).__name__ == "_AsyncIoGreenlet"
    )


def _rlock_free(lock: Any, blocking: bool = True, timeout: float = -1) -> bool:
    """An RLock acquire that cannot wait: non-blocking, or free / already ours right now."""
    if not blocking or timeout == 0:
        return True
    if lock.acquire(False):
        lock.release()
        return True
    return False


def _discards(predicate: Callable[..., bool]) -> Callable[..., bool]:
    """Blockbuster's file predicate, also allowing os.devnull and the process's own standard
    streams. pytest's logging plugin writes every record to a FileHandler on /dev/null (any
    test whose code logs would fail), and a log handler made before pytest's capture holds
    `sys.__stderr__`, which Blockbuster only exempts when it is a tty."""
    console = {id(s) for s in (sys.__stdout__, sys.__stderr__) if s is not None}
    console |= {id(getattr(s, "buffer", None)) for s in (sys.__stdout__, sys.__stderr__)}

    def allowed(file: Any, *args: Any, **kwargs: Any) -> bool:
        return (
            id(file) in console
            or getattr(file, "name", None) == os.devnull
            or predicate(file, *args, **kwargs)
        )

    return allowed


def _read_only(predicate: Callable[..., bool]) -> Callable[..., bool]:
    """flush() of a file opened for reading is a no-op (and `close()` calls it)."""

    def allowed(file: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            if not file.writable():
                return True
        except (ValueError, OSError):  # closed or detached: flush raises on its own
            return True
        return predicate(file, *args, **kwargs)

    return allowed


def _lock_free(lock: Any, *_: Any, **__: Any) -> bool:
    return not lock.locked()


def _tracer_lock(lock: Any) -> bool:
    """coverage.py's data lock. Its C tracer (the gate's line recorder below Python 3.12, or
    pytest-cov's) takes it when a file is traced for the first time, with the traced code's
    frame on top: contended by another thread's tracer, that looked like the project taking a
    thread lock on the loop. The wait is another thread's bookkeeping, never IO."""
    collector = sys.modules.get("coverage.collector")
    active = getattr(getattr(collector, "Collector", None), "_collectors", ())
    return any(getattr(c, "data_lock", None) is lock for c in active)


def _unless_tracer_lock(predicate: Callable[..., bool]) -> Callable[..., bool]:
    def allowed(lock: Any, *args: Any, **kwargs: Any) -> bool:
        return _tracer_lock(lock) or predicate(lock, *args, **kwargs)

    return allowed


_LOCK_ACQUIRE = ("threading.Lock.acquire", "threading.Lock.acquire_lock")


def _wait_polls(_self: Any, timeout: Any = None) -> bool:
    return timeout is not None and timeout <= 0


class SkipKind(enum.Enum):
    """Why a runtime key is not intercepted."""

    NOT_INSTALLED = "not-installed"  # the rule `requires` a package this environment lacks
    UNAVAILABLE = "unavailable"  # the platform has no such function
    NOT_FOUND = "not-found"  # the key does not resolve to an attribute


@dataclass(frozen=True)
class Skip:
    kind: SkipKind
    reason: str  # one line a person reads

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Own:
    """How the gate intercepts a key Blockbuster lacks."""

    can_block: CanBlock
    predicate: Callable[..., bool] | None = None
    file_predicate: str | None = None  # Blockbuster's "read" / "write" / "flush" predicate


# asyncio's own TLS set-up: `loop.create_connection(ssl=True)` builds a default context (and
# loads the default CAs) on the loop; the project cannot do otherwise through asyncio's API.
_SSL_CONTEXT: CanBlock = [*_DEFAULT, ("asyncio/sslproto.py", {"_create_transport_context"})]
_SQLALCHEMY = Own(_DEFAULT, _sqlalchemy_greenlet)

_FILE_READ = Own(_DEFAULT, file_predicate="read")
_FILE_WRITE = Own(_DEFAULT, file_predicate="write")
_FILE_FLUSH = Own(_DEFAULT, file_predicate="flush")

OWN_KEYS: dict[str, Own] = {
    # file objects: text iteration / readline go through BufferedReader.read1, binary ones
    # through FileIO.readinto (C code looks these methods up by name)
    "io.BufferedReader.read1": _FILE_READ,
    "io.BufferedReader.readline": _FILE_READ,
    "io.BufferedReader.readlines": _FILE_READ,
    "io.BufferedReader.readinto": _FILE_READ,
    "io.TextIOWrapper.readline": _FILE_READ,
    "io.TextIOWrapper.readlines": _FILE_READ,
    "io.FileIO.read": _FILE_READ,
    "io.FileIO.readall": _FILE_READ,
    "io.FileIO.readinto": _FILE_READ,
    "io.TextIOWrapper.writelines": _FILE_WRITE,
    "io.TextIOWrapper.flush": _FILE_FLUSH,
    "io.TextIOWrapper.truncate": _FILE_WRITE,
    "io.BufferedWriter.writelines": _FILE_WRITE,
    "io.BufferedWriter.flush": _FILE_FLUSH,
    "io.FileIO.write": _FILE_WRITE,
    "threading.Lock.__enter__": Own(_LOCK_SECTIONS, _lock_free),
    "threading.RLock.acquire": Own(_LOCK_SECTIONS, _rlock_free),
    "threading.RLock.__enter__": Own(_LOCK_SECTIONS, _rlock_free),
    "subprocess.Popen.wait": Own(_DEFAULT, _wait_polls),
    "socket.getaddrinfo": Own(_DEFAULT, _numeric_host),
    "socket.gethostbyname": Own(_DEFAULT, _numeric_host),
    "socket.gethostbyname_ex": Own(_DEFAULT, _numeric_host),
    "socket.gethostbyaddr": Own(_DEFAULT, _numeric_host),
    "socket.getnameinfo": Own(_DEFAULT, _numeric_host),
    "socket.socket.connect_ex": Own(_DEFAULT, _socket_exclude),
    "ssl.SSLSocket.do_handshake": Own(_DEFAULT, _socket_exclude),
    "selectors.DefaultSelector.select": Own(_DEFAULT, _loop_selector),
    "sqlite3.connect": Own(_DEFAULT, _memory_db),
    "importlib.import_module": Own(_DEFAULT, _already_imported),
    "importlib.__import__": Own(_DEFAULT, _statement_imported),
    "ssl.SSLContext.load_verify_locations": Own(_SSL_CONTEXT),
    "ssl.SSLContext.load_cert_chain": Own(_SSL_CONTEXT),
    "ssl.SSLContext.load_default_certs": Own(_SSL_CONTEXT),
    "ssl.SSLContext.set_default_verify_paths": Own(_SSL_CONTEXT),
    "sqlalchemy.engine.base.Connection._execute_context": _SQLALCHEMY,
    "sqlalchemy.engine.base.Connection._commit_impl": _SQLALCHEMY,
    "sqlalchemy.engine.base.Connection._rollback_impl": _SQLALCHEMY,
    "sqlalchemy.engine.base.Engine.raw_connection": _SQLALCHEMY,
}


@dataclass
class Interception:
    """One intercepted callable: where it lives and how Blockbuster decides about it."""

    key: str
    owner: Any
    attr: str
    original: Any
    function: BlockBusterFunction  # carries scanned modules, allow-list and predicate
    rules: tuple[str, ...]
    source: str  # "blockbuster" or "gate"


def build(
    keys: dict[str, list[str]],
    requires: dict[str, str | None],
    scanned: _ModulePaths,
    excluded: _ModulePaths,
    conditions: dict[str, tuple[ArgCondition, ...]] | None = None,
) -> tuple[list[Interception], dict[str, Skip]]:
    """Interceptions for `keys` (key -> rule ids); also the keys skipped, with the reason.

    `requires` maps rule id -> top-level package the rule needs; keys of rules whose package
    is not installed are skipped without importing anything. `conditions` are the registry's
    `nonblocking_if` patterns per key: a call matching one is let through.
    """
    bb = BlockBuster(scanned, excluded_modules=excluded)
    file_read = bb.functions["io.TextIOWrapper.read"].can_block_predicate
    file_write = bb.functions["io.TextIOWrapper.write"].can_block_predicate
    out: list[Interception] = []
    skipped: dict[str, Skip] = {}
    wanted = dict(keys)
    for key in bb.functions:  # Blockbuster keys no rule names are still Blockbuster defaults
        if key in UNNAMED_BLOCKBUSTER_KEYS and UNNAMED_BLOCKBUSTER_KEYS[key] in wanted:
            wanted.setdefault(key, wanted[UNNAMED_BLOCKBUSTER_KEYS[key]])
    for key, rule_ids in wanted.items():
        needs = [requires.get(r) for r in rule_ids]
        if needs and all(n and not importable(n) for n in needs):
            skipped[key] = Skip(SkipKind.NOT_INSTALLED, f"{needs[0]} is not installed")
            continue
        if key in bb.functions:
            fn = bb.functions[key]
            if fn.original_func is None:
                skipped[key] = Skip(SkipKind.UNAVAILABLE, "not available on this platform")
                continue
            if key.startswith("io."):
                fn.can_block_predicate = _discards(fn.can_block_predicate)
            if key in _LOCK_ACQUIRE:
                fn.can_block_predicate = _unless_tracer_lock(fn.can_block_predicate)
            _add_conditions(fn, key, (conditions or {}).get(key, ()))
            out.append(
                Interception(
                    key,
                    fn.module,
                    fn.func_name,
                    fn.original_func,
                    fn,
                    tuple(rule_ids),
                    "blockbuster",
                )
            )
            continue
        try:
            owner, attr = resolve_key(key)
        except KeyNotFound as exc:
            skipped[key] = Skip(SkipKind.NOT_FOUND, str(exc))
            continue
        own = OWN_KEYS.get(key, Own(_DEFAULT))
        predicate = own.predicate
        if own.file_predicate == "read":
            predicate = _discards(file_read)
        elif own.file_predicate == "write":
            predicate = _discards(file_write)
        elif own.file_predicate == "flush":
            predicate = _read_only(_discards(file_write))
        fn = BlockBusterFunction(
            owner,
            attr,
            scanned_modules=scanned,
            excluded_modules=excluded,
            can_block_functions=list(own.can_block),
            **({"can_block_predicate": predicate} if predicate else {}),
        )
        fn.full_name = key
        _add_conditions(fn, key, (conditions or {}).get(key, ()))
        out.append(Interception(key, owner, attr, fn.original_func, fn, tuple(rule_ids), "gate"))
    return out, skipped


def _add_conditions(fn: BlockBusterFunction, key: str, patterns: tuple[ArgCondition, ...]) -> None:
    module = sys.modules.get(key.partition(".")[0])
    holds = compile_conditions(patterns, module, isinstance(fn.module, type))
    if holds is None:
        return
    predicate = fn.can_block_predicate

    def allowed(*args: Any, **kwargs: Any) -> bool:
        return holds(*args, **kwargs) or predicate(*args, **kwargs)

    fn.can_block_predicate = allowed


# Blockbuster functions no registry key names -> the key whose rules they share (for both
# installing them and attributing their violations).
UNNAMED_BLOCKBUSTER_KEYS = {
    "threading.Lock.acquire_lock": "threading.Lock.acquire",
    "os.path.samestat": "os.stat",
    "os.path.sameopenfile": "os.stat",
}


def early_bound(interceptions: list[Interception]) -> list[tuple[Any, str, Interception]]:
    """Places that bound an intercepted builtin at import time and bypass the module attribute.

    Python 3.10's pathlib calls `os.stat`, `os.listdir`, `io.open`, ... through
    `pathlib._NormalAccessor`, whose class attributes are the functions themselves, so
    patching `os.stat` misses `Path.exists()`. Found by identity, patched as staticmethods.
    """
    accessor = getattr(sys.modules.get("pathlib"), "_NormalAccessor", None)
    if accessor is None:
        return []
    by_id = {id(i.original): i for i in interceptions if not isinstance(i.owner, type)}
    return [
        (accessor, name, by_id[id(value)])
        for name, value in vars(accessor).items()
        if id(value) in by_id
    ]


__all__ = ["OWN_KEYS", "Interception", "Own", "build", "early_bound"]
