"""astroid proves what the fast resolver leaves open, and only what it can prove."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from analysis_support import check, project


def test_astroid_resolves_receivers_the_summaries_cannot(tmp_path):
    check(
        tmp_path,
        {
            "m.py": """
                import io
                import pathlib
                from pathlib import Path

                def pick(name):
                    paths = {"cfg": pathlib.Path("/etc/app.toml")}
                    return paths[name]

                async def through_a_dict():
                    p = pick("cfg")
                    return p.read_text()  # expect: BIO102

                async def over_a_literal_list():
                    for p in [Path("a"), Path("b")]:
                        p.exists()  # expect: BIO106

                async def in_memory():
                    buf = io.BytesIO(b"x")
                    return buf.read()  # ok: BytesIO is not a file

                async def unknown(x):
                    return x.read_text()  # ok: nothing to infer

                async def conflicting(flag, s: str):
                    v = Path("x") if flag else s
                    return v.replace("a", "b")  # ok: a Path or a str: not provable
            """,
        },
    )


def test_inference_results_are_cached_per_module_content(tmp_path):
    files = {
        "m.py": """
            import pathlib

            def pick():
                return {"k": pathlib.Path("/x")}["k"]

            async def handler():
                return pick().read_text()
        """
    }
    project(tmp_path, files)
    from blocking_io.shared_rules import load_config
    from blocking_io.static_detector.scan import scan

    config = load_config(tmp_path / "pyproject.toml")
    first = scan(config, None, jobs=1).report
    assert [f.rule for f in first.findings] == ["BIO102"]
    cached = list((tmp_path / ".blocking-io" / "cache").rglob("astroid/*/*.pickle"))
    assert len(cached) == 1
    # an unchanged re-run does not start astroid; an edit infers again (keyed by content)
    assert scan(config, None, jobs=1).from_cache
    (tmp_path / "m.py").write_text((tmp_path / "m.py").read_text() + "\n# touched\n")
    assert [f.rule for f in scan(config, None, jobs=1).report.findings] == ["BIO102"]
    assert len(list((tmp_path / ".blocking-io" / "cache").rglob("astroid/*/*.pickle"))) == 2


def scan_counting_astroid(root: Path) -> tuple[list[str], int]:
    """Scan the project at `root` with its cache: the rules found, and how many modules
    astroid has been asked about so far (one cache entry each)."""
    from blocking_io.shared_rules import load_config
    from blocking_io.static_detector.scan import scan

    report = scan(load_config(root / "pyproject.toml"), None, jobs=1).report
    entries = list((root / ".blocking-io" / "cache").rglob("astroid/*/*.pickle"))
    return [f.rule for f in report.findings], len(entries)


def test_astroid_is_not_started_for_calls_that_cannot_be_a_primitive(tmp_path):
    """astroid costs a second on a big module: calls whose arguments do not fit the target
    (`text.replace(a, b)` is no `Path.replace(target)`), awaited calls, dict methods (also
    when another definition is an attribute of a generic class), regex matches (`m.group()`
    fits `Path.group()`) and free names that are parameters of an enclosing function never
    reach it."""
    files = {
        "m.py": """
            import pathlib
            import queue
            import re
            from typing import Generic, TypeVar

            T = TypeVar("T")

            class Box(Generic[T]):
                def __init__(self, default):
                    self._default = default

                def get(self):
                    return self._default

            BOX = Box(None)
            JOBS = queue.Queue()  # so that `x.get(k)` might be Queue.get here

            def fetch():
                return object()

            DAY_RE = re.compile(r"\\d+")

            class Dates:
                TOKENS_RE = re.compile(r"(?P<token>\\d+)")

                @classmethod
                def parse(cls, text):
                    for token in cls.TOKENS_RE.finditer(text):
                        day = DAY_RE.match(token.group("token"))
                        if day:
                            return day.group()  # re.Match.group, not Path.group()
                    found = re.search("x", text)
                    return found.group() if found else None

            async def handler(part, flag):
                Dates.parse(part)
                text = fetch()
                text.replace("a", "b")
                match = re.compile("x").match(text)
                match.group("token")
                writer = fetch()
                await writer.write(b"x")
                events = {}
                events.get(1)
                try:
                    slots = BOX.get()
                except LookupError:
                    slots = {}
                slots.get(1)

                def later(loop=None):
                    return flag.join()
                return later
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)

    # the same module with one call that could be Path.replace(target) does start it
    source = (tmp_path / "m.py").read_text()
    (tmp_path / "m.py").write_text(source.replace('text.replace("a", "b")', "text.replace(b)"))
    assert scan_counting_astroid(tmp_path)[1] == 1


def test_astroid_is_not_started_for_owners_it_cannot_load(tmp_path):
    """astroid reads this interpreter's import path and the scanned tree, not the project's
    environment: a `q.scalar()` whose only candidate owner (peewee) it cannot find is not
    worth building the module for; with peewee in the tree it is."""
    if importlib.util.find_spec("peewee") is not None:
        pytest.skip("peewee is installed beside blocking-io: astroid could load it")
    files = {
        "m.py": """
            import peewee

            def fetch():
                return object()

            async def handler():
                q = fetch()
                return q.scalar()
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)

    (tmp_path / "peewee.py").write_text("class SelectBase:\n    def scalar(self):\n        pass\n")
    assert scan_counting_astroid(tmp_path)[1] == 1


def test_astroid_is_not_started_for_receivers_built_from_unloadable_packages(tmp_path):
    """`session.get(url)` could be queue.Queue.get in a module that imports queue, but a
    session entered from aiohttp, which astroid cannot load, is uninferable to it; with an
    aiohttp in the tree astroid could load it, and is started."""
    if importlib.util.find_spec("aiohttp") is not None:
        pytest.skip("aiohttp is installed beside blocking-io: astroid could load it")
    files = {
        "m.py": """
            import queue

            import aiohttp

            JOBS = queue.Queue()

            async def handler(url):
                async with aiohttp.ClientSession() as session:
                    for part in session.parts():
                        part.get(url)
                    async with session.get(url) as response:
                        return response.status
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)

    (tmp_path / "aiohttp.py").write_text("class ClientSession:\n    pass\n")
    assert scan_counting_astroid(tmp_path)[1] == 1


def test_astroid_is_not_started_for_names_the_project_does_not_define(tmp_path):
    """`LIMITS.get(name)` could be queue.Queue.get in a module that imports queue, but
    LIMITS comes from a module of the project that no longer defines it (a stale import):
    astroid cannot infer it either. Once the module defines it, astroid is started."""
    files = {
        "app/__init__.py": "",
        "app/constants.py": "OTHER = 1\n",
        "app/m.py": """
            import queue

            from app.constants import LIMITS
            from app.gone import SIZES

            JOBS = queue.Queue()

            async def handler(name):
                return LIMITS.get(name), SIZES.get(name)
        """,
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)

    (tmp_path / "app" / "constants.py").write_text("LIMITS = make_limits()\n")
    assert scan_counting_astroid(tmp_path)[1] == 1


def test_a_class_defined_in_a_method_is_typed_without_astroid(tmp_path):
    """The bases of a class defined in a method are names of that method's scope (here a
    local import): the summaries type its instances, so astroid is never started."""
    files = {
        "m.py": """
            class Shim:
                def remote(self, body):
                    import http.client

                    class UnixConnection(http.client.HTTPConnection):
                        pass

                    conn = UnixConnection("/tmp/app.sock")
                    conn.request("POST", "/", body=body)

            async def forward(body):
                Shim().remote(body)
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == (["BIO405"], 0)


def test_the_tasks_of_asyncio_all_tasks_are_typed_without_astroid(tmp_path):
    """`task.exception()` could be concurrent.futures.Future.exception (which waits) in a
    module that imports concurrent.futures; the type table says asyncio.all_tasks() gives
    asyncio tasks, so astroid (which built 64 asyncio modules for it on anyio) is not
    started."""
    files = {
        "m.py": """
            import asyncio
            import concurrent.futures

            POOL = concurrent.futures.ThreadPoolExecutor()

            async def failures():
                return [t.exception() for t in asyncio.all_tasks() if t.done()]
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)


def test_astroid_is_not_started_for_aliases_of_parameters_nor_generator_sends(tmp_path):
    """`buffer = self._fp; buffer.read()` is as opaque to astroid as `self._fp.read()`, which
    is not asked about (anyio's spooled file: 0.2-1 s of astroid for nothing), and a
    `send` on a generator resumes it (httpx's auth flows): it is no socket's `send`. A local
    bound to something astroid could follow still starts it."""
    files = {
        "m.py": """
            import socket
            import typing

            SOCK = socket.socket()  # so that `x.send(b)` might be socket.socket.send here

            def steps(request) -> typing.Generator[bytes, bytes, None]:
                response = yield request
                yield response

            class Spool:
                def __init__(self, fp):
                    self._fp = fp

                async def rollover(self, dirs):
                    buffer = self._fp
                    data = buffer.read()
                    for folder in dirs:
                        folder.rglob("*.py")
                    flow = steps(data)
                    request = next(flow)
                    return flow.send(request)
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)

    source = (tmp_path / "m.py").read_text()
    (tmp_path / "m.py").write_text(source.replace("buffer = self._fp", "buffer = fetch()"))
    assert scan_counting_astroid(tmp_path)[1] == 1


def test_awaited_results_of_typed_coroutines_need_no_astroid(tmp_path):
    """`await asyncio.create_subprocess_exec(...)` gives an asyncio Process (`await:` in
    the type table): its `wait()` handed to `wait_for` is no subprocess.Popen.wait, without
    asking astroid (letta's tool sandbox)."""
    files = {
        "m.py": """
            import asyncio
            import subprocess  # so that `p.wait()` might be subprocess.Popen.wait here

            async def run(cmd):
                process = await asyncio.create_subprocess_exec(cmd)
                await asyncio.wait_for(process.wait(), timeout=5)
                return subprocess.DEVNULL
        """
    }
    project(tmp_path, files)
    assert scan_counting_astroid(tmp_path) == ([], 0)


def test_modules_shared_between_a_worker_and_this_process_keep_their_own_results(tmp_path):
    """With two jobs, astroid's modules go to one forked worker and to the scanning process
    (each takes the next module the other has not started): every module's answer still
    lands on that module, as a serial run gives it."""
    from blocking_io.shared_rules import load_config
    from blocking_io.static_detector.scan import scan

    calls = ["read_text()", "read_bytes()", "exists()", "stat()", "is_file()", "unlink()"]
    files = {
        f"m{i}.py": f"""
            import pathlib

            def pick():
                return {{"k": pathlib.Path("/x{i}")}}["k"]

            async def handler():
                return pick().{call}
        """
        for i, call in enumerate(calls)
    }
    found = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs{jobs}"
        project(root, files)
        report = scan(load_config(root / "pyproject.toml"), None, jobs=jobs, use_cache=False)
        found[jobs] = sorted((f.path, f.rule, f.message) for f in report.report.findings)
    assert len({path for path, _, _ in found[2]}) == len(calls)
    assert found[2] == found[1]
