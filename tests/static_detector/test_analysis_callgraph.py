"""Calls are followed across modules: imports of every shape, methods, instances, partials,
decorators, properties. Unresolvable calls are not guessed at."""

from __future__ import annotations

from analysis_support import check


def test_cross_module_helper_through_absolute_relative_and_aliased_imports(tmp_path):
    check(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/storage/__init__.py": "from .files import save_blob as save_blob\n",
            "app/storage/files.py": """
                from pathlib import Path

                def save_blob(path: Path, data: bytes) -> None:
                    path.write_bytes(data)

                def load_blob(path: Path) -> bytes:
                    return path.read_bytes()
            """,
            "app/util.py": """
                import shutil

                def archive(src, dst):
                    shutil.copytree(src, dst)
            """,
            "app/api/__init__.py": "",
            "app/api/routes.py": """
                import app.util as u
                import app.storage.files
                from app.storage import save_blob
                from ..storage.files import load_blob as lb
                from .. import util

                async def upload(path, data):
                    save_blob(path, data)  # expect: BIO103

                async def download(path):
                    return lb(path)  # expect: BIO102

                async def backup(src, dst):
                    u.archive(src, dst)  # expect: BIO111
                    util.archive(src, dst)  # expect: BIO111

                async def dotted(path):
                    return app.storage.files.load_blob(path)  # expect: BIO102
            """,
        },
    )


def test_helper_reached_from_five_handlers_gives_five_findings(tmp_path):
    handlers = "\n".join(
        f"async def handler_{i}(p):\n    return helper(p)  # expect: BIO102\n" for i in range(5)
    )
    report = check(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/io.py": """
                from pathlib import Path

                def helper(p):
                    return deeper(p)

                def deeper(p):
                    return Path(p).read_text()
            """,
            "svc/api.py": "from svc.io import helper\nfrom pathlib import Path\n\n" + handlers,
        },
    )
    # every finding carries the whole chain as evidence
    for finding in report.findings:
        assert [s.function for s in finding.chain][1:3] == ["svc.io.helper", "svc.io.deeper"]


def test_methods_of_self_inherited_from_a_base_in_another_module(tmp_path):
    check(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": """
                import subprocess

                class Tool:
                    def run(self, argv):
                        return subprocess.run(argv, capture_output=True)

                    @classmethod
                    def probe(cls):
                        return subprocess.check_output(["uname"])
            """,
            "pkg/tools.py": """
                from pkg.base import Tool

                class GitTool(Tool):
                    async def head(self):
                        return self.run(["git", "rev-parse", "HEAD"])  # expect: BIO201

                    @classmethod
                    async def version(cls):
                        return cls.probe()  # expect: BIO201

                    async def not_a_method_we_know(self):
                        return self.runn(["x"])  # ok: no such method, nothing guessed
            """,
        },
    )


def test_instances_constructed_injected_annotated_and_module_singletons(tmp_path):
    check(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/store.py": """
                import json

                class EventStore:
                    def __init__(self, path):
                        self.path = path

                    def append(self, event):
                        with open(self.path, "a") as fh:
                            fh.write(json.dumps(event))

                def make_store(path) -> EventStore:
                    return EventStore(path)

                STORE = EventStore("/var/lib/events.jsonl")
            """,
            "svc/handlers.py": """
                from svc.store import STORE, EventStore, make_store

                class Handler:
                    store: EventStore

                    def __init__(self, store: EventStore, backup):
                        self.store = store
                        self.backup = EventStore("/backup")
                        self.other = backup

                    async def injected(self, event):
                        self.store.append(event)  # expect: BIO101

                    async def assigned_in_init(self, event):
                        self.backup.append(event)  # expect: BIO101

                    async def unknown_type(self, event):
                        self.other.append(event)  # ok: type of `backup` is unknown

                async def local_instance(event):
                    store = EventStore("/tmp/x")
                    store.append(event)  # expect: BIO101

                async def annotated_param(store: EventStore, event):
                    store.append(event)  # expect: BIO101

                async def returned_by_factory(event):
                    make_store("/tmp/y").append(event)  # expect: BIO101

                async def module_singleton(event):
                    STORE.append(event)  # expect: BIO101

                async def list_append(items, event):
                    items.append(event)  # ok: list.append is not EventStore.append
            """,
        },
    )


def test_partial_decorators_and_properties(tmp_path):
    check(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/helpers.py": """
                import functools
                import time
                from pathlib import Path

                def backoff(seconds):
                    time.sleep(seconds)

                def traced(fn):
                    @functools.wraps(fn)
                    def wrapper(*args, **kwargs):
                        return fn(*args, **kwargs)
                    return wrapper

                @traced
                def load_config(path):
                    return Path(path).read_text()

                @functools.lru_cache(maxsize=None)
                def cached_prompt(name):
                    return Path("prompts", name).read_text()

                class Settings:
                    def __init__(self, path):
                        self.path = Path(path)

                    @property
                    def raw(self):
                        return self.path.read_text()

                    @staticmethod
                    def defaults():
                        return Path("/etc/app.toml").read_text()
            """,
            "app/main.py": """
                import functools
                from app.helpers import Settings, backoff, cached_prompt, load_config

                async def retry():
                    wait = functools.partial(backoff, 2)
                    wait()  # expect: BIO301

                async def startup(path):
                    return load_config(path)  # expect: BIO102

                async def prompt(name):
                    return cached_prompt(name)  # expect: BIO102

                async def settings(path):
                    s = Settings(path)
                    text = s.raw  # expect: BIO102
                    return text, Settings.defaults()  # expect: BIO102
            """,
        },
    )


def test_recursion_and_cycles_terminate_and_still_report(tmp_path):
    check(
        tmp_path,
        {
            "walk/__init__.py": "",
            "walk/tree.py": """
                import os

                def visit(path, depth=0):
                    if depth > 3:
                        return os.listdir(path)
                    return visit_child(path, depth + 1)

                def visit_child(path, depth):
                    return visit(path, depth)

                def spin(n):
                    return spin(n - 1) if n else 0
            """,
            "walk/api.py": """
                from walk.tree import spin, visit

                async def listing(path):
                    return visit(path)  # expect: BIO108

                async def compute(n):
                    return spin(n)  # ok: recursion without IO
            """,
        },
    )


def test_unresolved_calls_are_not_guessed_by_method_name(tmp_path):
    check(
        tmp_path,
        {
            "m.py": """
                import importlib

                async def handler(obj, name):
                    obj.read_text()  # ok: unknown receiver
                    getattr(obj, name)()  # ok
                    importlib.import_module(name).run()  # expect: BIO118
                    obj.store.write_text("x")  # ok
            """,
        },
    )
