"""Every primitive the gate adds to Blockbuster, called for real from a scanned module.

Each case runs three ways: on the event loop from the scanned package (must raise
BlockingIOViolation naming the registry rule), inside `asyncio.to_thread` (must not), and on
the loop from a package that is not scanned (must not). A few Blockbuster built-ins ride
along as controls, and some cases check that the rule is the most specific one (json.load,
Event.wait, Queue.get rather than the read or lock acquire underneath).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import queue
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import blocking_io.runtime_gate
import pytest
from blocking_io.runtime_gate.interceptions import SkipKind
from blocking_io.runtime_gate.resolve import importable
from blocking_io.shared_rules.registry import builtin_registry

# Every rule, opt-in ones included (`select = ["ALL"]`): os.fstat is opt-in, for example.
REGISTRY = builtin_registry().configured(select=["ALL"])


@dataclass(frozen=True)
class Case:
    id: str
    symbol: str  # the registry target the call must be attributed to
    code: str
    held: bool = False  # needs ctx.lock / ctx.rlock held by another thread

    @property
    def rule(self) -> str:
        match = REGISTRY.match(self.symbol)
        assert match is not None, f"no rule for {self.symbol}"
        return match.rule.id


CASES = [
    # gaps in Blockbuster 1.5.29
    Case("open", "builtins.open", "open(ctx.file).close()"),
    Case("text-readline", "io.IOBase.readline", "ctx.text.readline()"),
    Case("text-readlines", "io.IOBase.readlines", "ctx.text.readlines()"),
    Case("text-line-iteration", "io.IOBase.__iter__", "for _ in ctx.text: pass"),
    Case("binary-line-iteration", "io.IOBase.__iter__", "for _ in ctx.binary: pass"),
    Case("binary-readline", "io.IOBase.readline", "ctx.binary.readline()"),
    Case("unbuffered-read", "io.IOBase.read", "ctx.raw.read()"),
    Case("os.lstat", "os.lstat", "os.lstat(ctx.file)"),
    Case("os.fstat", "os.fstat", "os.fstat(ctx.fd)"),
    Case("os.chmod", "os.chmod", "os.chmod(ctx.file, 0o644)"),
    Case("os.utime", "os.utime", "os.utime(ctx.file)"),
    Case("os.fsync", "os.fsync", "os.fsync(ctx.fd)"),
    Case("os.system", "os.system", "os.system('true')"),
    Case("subprocess.run", "subprocess.run", "subprocess.run(['true'], check=True)"),
    # C code that no Python source shows blocking in (key derivation: CPU by design)
    Case("hashlib.scrypt", "hashlib.scrypt", "hashlib.scrypt(b'pw', salt=b's', n=16, r=1, p=1)"),
    Case(
        "hashlib.pbkdf2_hmac",
        "hashlib.pbkdf2_hmac",
        "hashlib.pbkdf2_hmac('sha256', b'pw', b's', 1)",
    ),
    Case("os.waitpid", "os.waitpid", "os.waitpid(ctx.child.pid, 0)"),
    Case("Path.touch", "pathlib.Path.touch", "ctx.path.touch()"),
    Case("Path.read_text", "pathlib.Path.read_text", "ctx.path.read_text()"),
    # pathlib on 3.10 calls os.* through _NormalAccessor, bound at import time
    Case("Path.exists", "pathlib.Path.exists", "ctx.path.exists()"),
    Case("Path.iterdir", "pathlib.Path.iterdir", "list(ctx.dir.iterdir())"),
    Case("Path.mkdir", "pathlib.Path.mkdir", "(ctx.dir / 'new').mkdir(exist_ok=True)"),
    Case("sqlite3.connect", "sqlite3.connect", "sqlite3.connect(ctx.db).close()"),
    Case("socket.getaddrinfo", "socket.getaddrinfo", "socket.getaddrinfo('localhost', 80)"),
    Case(
        "socket.connect_ex",
        "socket.socket.connect_ex",
        "s = socket.socket()\ntry:\n    s.connect_ex(ctx.addr)\nfinally:\n    s.close()",
    ),
    Case("select.select", "select.select", "select.select([ctx.client], [], [], 0.02)"),
    Case("io.open_code", "io.open_code", "io.open_code(ctx.file).close()"),
    # dynamic imports: a first import (a fresh module per test), exec_module, reload, runpy
    Case("import_module", "importlib.import_module", "importlib.import_module(ctx.fresh)"),
    Case("importlib.__import__", "importlib.__import__", "importlib.__import__(ctx.fresh)"),
    Case(
        "exec_module",
        "importlib.abc.Loader.exec_module",
        "spec = importlib.util.spec_from_file_location('loose_plugin', ctx.plugin_file)\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))",
    ),
    Case("reload", "importlib.reload", "importlib.reload(ctx.loaded)"),
    Case("runpy.run_path", "runpy.run_path", "runpy.run_path(ctx.plugin_file)"),
    # TLS certificates read from disk
    Case("create_default_context", "ssl.create_default_context", "ssl.create_default_context()"),
    Case(
        "load_verify_locations",
        "ssl.SSLContext.load_verify_locations",
        "ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(ctx.cert)",
    ),
    Case(
        "load_cert_chain",
        "ssl.SSLContext.load_cert_chain",
        "ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).load_cert_chain(ctx.cert, ctx.key)",
    ),
    Case(
        "set_default_verify_paths",
        "ssl.SSLContext.set_default_verify_paths",
        "ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).set_default_verify_paths()",
    ),
    Case(
        "RLock.acquire",
        "threading.RLock.acquire",
        "if ctx.rlock.acquire(timeout=0.02):\n    ctx.rlock.release()",
        True,
    ),
    Case("with-Lock", "threading.Lock.__enter__", "with ctx.lock:\n    pass", True),
    # Blockbuster built-ins, and attribution to the most specific rule
    Case("time.sleep", "time.sleep", "time.sleep(0.001)"),
    Case("json.load", "json.load", "json.load(ctx.json)"),
    Case("os.path.sameopenfile", "os.path.sameopenfile", "os.path.sameopenfile(ctx.fd, ctx.fd)"),
    Case("Event.wait", "threading.Event.wait", "ctx.event.wait(0.02)"),
    Case(
        "Queue.get",
        "queue.Queue.get",
        "try:\n    ctx.queue.get(timeout=0.02)\nexcept queue.Empty:\n    pass",
    ),
]

# Forms that cannot block, from the registry's `nonblocking_if` patterns and the gate's own
# predicates: fine on the loop, from scanned code, even with the lock held elsewhere.
NONBLOCKING = {
    "waitpid-WNOHANG": "os.waitpid(ctx.child.pid, os.WNOHANG)",
    "select-timeout-0": "select.select([ctx.client], [], [], 0)",
    "rlock-blocking-False": "assert not ctx.rlock.acquire(blocking=False)",
    "rlock-timeout-0": "assert not ctx.rlock.acquire(timeout=0)",
    "lock-acquire-False": "assert not ctx.lock.acquire(False)",
    "event-wait-0": "ctx.event.wait(0)",
    "queue-get-nowait": "try:\n    ctx.queue.get(block=False)\nexcept queue.Empty:\n    pass",
    "getaddrinfo-ip-literal": "socket.getaddrinfo('127.0.0.1', 80)",
    "getaddrinfo-AI_NUMERICHOST": "socket.getaddrinfo('::1', 80, flags=socket.AI_NUMERICHOST)",
    "sqlite3-memory": "sqlite3.connect(':memory:').close()",
    "flush-read-only-file": "ctx.text.flush()",
    "print": "print('hello from the loop')",
    "logging": "logging.getLogger('probe').warning('logged on the loop')",
    "import_module-already-imported": "importlib.import_module('json')",
    "__import__-already-imported": "importlib.__import__('os', fromlist=['path'])",
    "asyncio-tls-context": "asyncio.sslproto._create_transport_context(False, None)",
}

PREAMBLE = (
    "import asyncio.sslproto, hashlib, importlib, importlib.util, io, json, logging, os, queue\n"
    "import runpy\n"
    "import select, socket, sqlite3, ssl, subprocess, time\n"
    "from pathlib import Path\n\n"
)


def _package(root: Path, name: str) -> None:
    body = PREAMBLE
    for index, case in enumerate(CASES):
        body += f"def case_{index}(ctx):\n{textwrap.indent(case.code, '    ')}\n\n\n"
    for index, code in enumerate(NONBLOCKING.values()):
        body += f"def nonblocking_{index}(ctx):\n{textwrap.indent(code, '    ')}\n\n\n"
    (root / name).mkdir()
    (root / name / "__init__.py").write_text(body)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """`probe_gate` (scanned) and `bystander_gate` (not scanned), same code."""
    root = tmp_path_factory.mktemp("packages")
    _package(root, "probe_gate")
    _package(root, "bystander_gate")
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module("probe_gate"), importlib.import_module("bystander_gate")
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("probe_gate", None)
        sys.modules.pop("bystander_gate", None)


@pytest.fixture(scope="module")
def gate(packages: tuple[ModuleType, ModuleType]) -> blocking_io.runtime_gate.Gate:
    return blocking_io.runtime_gate.Gate(["probe_gate"], registry=REGISTRY, root=Path.cwd())


def _hold(lock: Any, seconds: float) -> threading.Thread:
    """Hold `lock` in another thread for `seconds`, so that acquiring it has to wait."""
    taken = threading.Event()

    def holder() -> None:
        with lock:
            taken.set()
            threading.Event().wait(seconds)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    taken.wait()
    return thread


class Ctx:
    """Real files, a listening socket on 127.0.0.1, locks held by another thread, a module
    never imported yet, a certificate and its key."""

    def __init__(self, tmp: Path, files: list[Any], tls: tuple[str, str]) -> None:
        self.dir = tmp
        self.cert, self.key = tls
        plugins = tmp / "plugins"
        plugins.mkdir()
        self.fresh = f"fresh_plugin_{uuid.uuid4().hex}"  # imported by nothing before the case
        (plugins / f"{self.fresh}.py").write_text("VALUE = 1\n")
        self.plugin_file = str(plugins / "loose_plugin.py")
        Path(self.plugin_file).write_text("VALUE = 2\n")
        loaded = f"loaded_plugin_{uuid.uuid4().hex}"
        (plugins / f"{loaded}.py").write_text("VALUE = 3\n")
        sys.path.insert(0, str(plugins))
        importlib.invalidate_caches()
        self.loaded = importlib.import_module(loaded)  # before the gate: reload() re-runs it
        self.plugins = str(plugins)
        self.path = tmp / "data.txt"
        self.file = str(self.path)
        self.text, self.binary, self.raw, self.json = files  # opened before the gate
        self.fd = os.open(self.file, os.O_RDONLY)
        self.db = str(tmp / "app.db")
        self.child = subprocess.Popen(["sleep", "0.05"])
        self.server = socket.create_server(("127.0.0.1", 0))
        self.addr = self.server.getsockname()
        self.client = socket.create_connection(self.addr)
        self.event = threading.Event()
        self.queue: queue.Queue[int] = queue.Queue()
        self.lock = threading.Lock()
        self.rlock = threading.RLock()
        self.holders: list[threading.Thread] = []

    def prepare(self, case: Case) -> None:
        if case.held:  # another thread holds both for 0.1 s, so acquiring has to wait
            self.holders = [_hold(self.lock, 0.1), _hold(self.rlock, 0.1)]

    def close(self) -> None:
        for holder in self.holders:
            holder.join()
        sys.path.remove(self.plugins)
        sys.modules.pop(self.fresh, None)
        sys.modules.pop(self.loaded.__name__, None)
        os.close(self.fd)
        self.child.wait()
        self.client.close()
        self.server.close()


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate and its key, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def ctx(tmp_path: Path, tls: tuple[str, str]) -> Iterator[Ctx]:
    data = tmp_path / "data.txt"
    data.write_text("".join(f"line {i}\n" for i in range(50)))
    (tmp_path / "doc.json").write_text('{"ok": true}')
    with (
        open(data) as text,
        open(data, "rb") as binary,
        open(data, "rb", buffering=0) as raw,
        open(tmp_path / "doc.json") as doc,
    ):
        context = Ctx(tmp_path, [text, binary, raw, doc], tls)
        yield context
        context.close()


IDS = [c.id for c in CASES]


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_raises_on_the_loop_from_scanned_code(
    index: int,
    gate: blocking_io.runtime_gate.Gate,
    packages: tuple[ModuleType, ModuleType],
    ctx: Ctx,
) -> None:
    case = CASES[index]
    call = getattr(packages[0], f"case_{index}")
    ctx.prepare(case)

    async def main() -> None:
        call(ctx)

    with pytest.raises(blocking_io.runtime_gate.BlockingIOViolation) as raised, gate:
        asyncio.run(main())

    violation = raised.value.violation
    rule = REGISTRY.get(case.rule)
    assert rule is not None
    assert violation.rule.id == case.rule, str(raised.value)
    assert (violation.site.function, violation.site.path.rsplit("/", 1)[-1]) == (
        f"case_{index}",
        "__init__.py",
    )
    message = str(raised.value)
    assert message.startswith(f"{rule.id} {rule.name}: ")
    assert rule.fix in message


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_does_not_raise_inside_to_thread(
    index: int,
    gate: blocking_io.runtime_gate.Gate,
    packages: tuple[ModuleType, ModuleType],
    ctx: Ctx,
) -> None:
    call = getattr(packages[0], f"case_{index}")
    ctx.prepare(CASES[index])

    async def main() -> None:
        await asyncio.to_thread(call, ctx)

    with gate:
        asyncio.run(main())
    assert gate.violations == []


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_does_not_raise_outside_the_scanned_modules(
    index: int,
    gate: blocking_io.runtime_gate.Gate,
    packages: tuple[ModuleType, ModuleType],
    ctx: Ctx,
) -> None:
    call = getattr(packages[1], f"case_{index}")
    ctx.prepare(CASES[index])

    async def main() -> None:
        call(ctx)  # test code calling a third-party package on the loop

    with gate:
        asyncio.run(main())
    assert gate.violations == []


@pytest.mark.parametrize("index", range(len(NONBLOCKING)), ids=list(NONBLOCKING))
def test_forms_that_cannot_block_pass_on_the_loop(
    index: int,
    gate: blocking_io.runtime_gate.Gate,
    packages: tuple[ModuleType, ModuleType],
    ctx: Ctx,
) -> None:
    call = getattr(packages[0], f"nonblocking_{index}")
    ctx.prepare(Case("", "", "", held=True))

    async def main() -> None:
        call(ctx)

    with gate:
        asyncio.run(main())
    assert gate.violations == []


def test_every_gap_key_of_the_registry_is_installed(gate: blocking_io.runtime_gate.Gate) -> None:
    gate.build()
    installed = {i.key for i in gate.interceptions}
    for key in (
        "builtins.open",
        "io.BufferedReader.read1",
        "io.FileIO.readinto",
        "io.FileIO.read",
        "os.lstat",
        "os.fstat",
        "os.chmod",
        "os.utime",
        "os.fsync",
        "os.system",
        "pathlib.Path.touch",
        "sqlite3.connect",
        "socket.getaddrinfo",
        "socket.socket.connect_ex",
        "select.select",
        "threading.RLock.acquire",
        "threading.Lock.__enter__",
        "io.open_code",
        "importlib.import_module",
        "importlib.__import__",
        "importlib.reload",
        "importlib._bootstrap_external._LoaderBasics.exec_module",
        "runpy.run_path",
        "runpy.run_module",
        "ssl.SSLContext.load_verify_locations",
        "ssl.SSLContext.load_cert_chain",
        "ssl.SSLContext.load_default_certs",
        "ssl.SSLContext.set_default_verify_paths",
    ):
        assert key in installed, gate.skipped.get(key)
    # stdlib keys all resolve on every supported Python; only third-party ones may be skipped
    stdlib_skipped = {
        k: why for k, why in gate.skipped.items() if why.kind is not SkipKind.NOT_INSTALLED
    }
    assert stdlib_skipped == {}


def test_runtime_modes_of_the_registry_match_blockbuster() -> None:
    """`blockbuster` keys must exist in Blockbuster; `patch` specs need a key of the gate's."""
    from blockbuster import BlockBuster

    provided = set(BlockBuster().functions)
    for rule in builtin_registry().all_rules:
        specs = [rule.runtime, *(t.runtime for t in rule.targets if t.runtime)]
        for spec in specs:
            if spec.mode == "blockbuster":
                assert set(spec.keys) <= provided, (rule.id, sorted(set(spec.keys) - provided))
            elif spec.mode == "patch":
                assert set(spec.keys) - provided, (rule.id, spec.keys)


def test_project_extra_rule_with_a_runtime_patch_is_installed(tmp_path: Path) -> None:
    """An `extra-rules` entry patches a third-party function; calls from the project raise."""
    (tmp_path / "slowsdk").mkdir()
    (tmp_path / "slowsdk" / "__init__.py").write_text(
        "def fetch(key):\n    return key * 2\n\n\n"
        "class Client:\n    @classmethod\n    def connect(cls, key):\n        return (cls, key)\n"
    )
    (tmp_path / "app_x").mkdir()
    (tmp_path / "app_x" / "__init__.py").write_text(
        "import slowsdk\n\nasync def handler():\n    return slowsdk.fetch('k')\n\n"
        "async def connect():\n    return slowsdk.Client().connect('k')\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.blocking-io]
            scanned-modules = ["app_x"]

            [[tool.blocking-io.extra-rules]]
            id = "PRJ001"
            name = "slow-sdk"
            category = "sdk"
            severity = "high"
            title = "slow sdk"
            message = "`{symbol}` calls the slow SDK"
            fix = "use slowsdk.aio"
            requires = "slowsdk"
            runtime = { mode = "patch", keys = ["slowsdk.fetch", "slowsdk.Client.connect"] }
            targets = ["slowsdk.fetch", "slowsdk.Client.connect"]
            """
        )
    )
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        import app_x  # type: ignore[import-not-found]
        import slowsdk  # type: ignore[import-not-found]

        with (
            pytest.raises(blocking_io.runtime_gate.BlockingIOViolation, match="PRJ001 slow-sdk"),
            blocking_io.runtime_gate.gate(config=tmp_path),
        ):
            asyncio.run(app_x.handler())
        with (
            pytest.raises(blocking_io.runtime_gate.BlockingIOViolation, match="PRJ001 slow-sdk"),
            blocking_io.runtime_gate.gate(config=tmp_path),
        ):
            asyncio.run(app_x.connect())  # a classmethod, called on an instance
        with blocking_io.runtime_gate.gate(config=tmp_path):
            assert slowsdk.fetch("a") == "aa"  # no loop: allowed
            assert asyncio.run(asyncio.to_thread(slowsdk.fetch, "b")) == "bb"
            assert slowsdk.Client().connect("c") == (slowsdk.Client, "c")
            assert slowsdk.Client.connect("d") == (slowsdk.Client, "d")
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("app_x", "slowsdk"):
            sys.modules.pop(name, None)


def test_third_party_rules_are_installed_only_when_importable(
    gate: blocking_io.runtime_gate.Gate,
) -> None:
    gate.build()
    for rule in builtin_registry().rules:
        if rule.requires is None:
            continue
        keys = [
            k
            for s in [rule.runtime, *(t.runtime for t in rule.targets if t.runtime)]
            for k in s.keys
        ]
        installed = importable(rule.requires)  # `google.genai`: a module under a namespace
        for key in keys:
            if not installed:
                assert str(gate.skipped.get(key)) == f"{rule.requires} is not installed"
                assert rule.requires not in sys.modules or key in gate.skipped


def test_a_disabled_rule_does_not_raise(packages: tuple[ModuleType, ModuleType], ctx: Ctx) -> None:
    """`ignore = ["BIO301"]` in the project: time.sleep on the loop is accepted."""
    registry = builtin_registry().configured(ignore=["BIO301"])
    sleep = getattr(packages[0], f"case_{IDS.index('time.sleep')}")
    with blocking_io.runtime_gate.Gate(["probe_gate"], registry=registry) as g:
        asyncio.run(asyncio.wait_for(asyncio.to_thread(lambda: None), 1))

        async def main() -> None:
            sleep(ctx)

        asyncio.run(main())
    assert g.violations == []


def test_asyncio_own_non_blocking_apis_do_not_raise(tmp_path: Path) -> None:
    """Subprocesses, connections, logging and a loop run by project code stay green."""
    (tmp_path / "loopy_gate").mkdir()
    (tmp_path / "loopy_gate" / "__init__.py").write_text(
        textwrap.dedent(
            """
            import asyncio, logging, sys

            log = logging.getLogger("loopy")

            async def work(addr):
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-c", "print('hi')", stdout=asyncio.subprocess.PIPE)
                out, _ = await proc.communicate()
                reader, writer = await asyncio.open_connection(*addr)
                writer.write(b"ping")
                await writer.drain()
                data = await reader.read(4)
                writer.close()
                await writer.wait_closed()
                await asyncio.sleep(0.01)
                log.warning("done %s", data)
                return out.strip(), data

            def main(addr):  # project code that runs its own event loop
                return asyncio.run(work(addr))
            """
        )
    )

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.read(4))
        await writer.drain()
        writer.close()

    ready = threading.Event()
    addr: list[Any] = []

    def serve() -> None:
        async def run() -> None:
            server = await asyncio.start_server(echo, "127.0.0.1", 0)
            addr.extend(server.sockets[0].getsockname()[:2])
            ready.set()
            async with server:
                await asyncio.sleep(3)

        asyncio.run(run())

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(5)
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        import loopy_gate  # type: ignore[import-not-found]

        with blocking_io.runtime_gate.Gate(["loopy_gate"]) as g:
            assert loopy_gate.main(tuple(addr)) == (b"hi", b"ping")
        assert g.violations == []
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("loopy_gate", None)
