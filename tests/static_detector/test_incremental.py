"""An edited re-run reuses the facts of the functions that read nothing edited, and reports
exactly what a scan without the cache reports: each way the facts of one module depend on
another (a return type, a name that did not exist, a class hierarchy, an offloading
decorator, a stub method's implementations) is edited in the other module."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from blocking_io.shared_rules import load_config
from blocking_io.shared_rules.reports import report_json
from blocking_io.static_detector import incremental
from blocking_io.static_detector.scan import scan
from detect_support import keys, make_project, without_stats, write

# module -> source; each case edits `EDITS[case]` and expects the handler's finding to
# appear (True) or disappear (False)
BASE = {
    "app/__init__.py": "",
    "app/make.py": """
        from pathlib import Path

        def target():
            return Path("data.txt")
    """,
    "app/names.py": """
        import time

        def other():
            return 1
    """,
    "app/base.py": """
        class Store:
            def load(self):
                return {}
    """,
    "app/deco.py": """
        import asyncio
        import functools

        def in_thread(fn):
            @functools.wraps(fn)
            async def wrapper(*args):
                return await asyncio.to_thread(fn, *args)
            return wrapper
    """,
    "app/plugin.py": """
        import abc

        class Plugin(abc.ABC):
            @abc.abstractmethod
            def run(self): ...
    """,
    "app/plugins.py": """
        from app.plugin import Plugin

        class Echo(Plugin):
            def run(self):
                return "echo"
    """,
    "app/extra.py": """
        from app.plugin import Plugin

        VALUE = 1
    """,
    "app/handlers.py": """
        from app import plugins
        from app.base import Store
        from app.deco import in_thread
        from app.make import target
        from app.names import helper
        from app.plugin import Plugin

        class Cached(Store):
            pass

        @in_thread
        def heavy():
            return open("big.bin").read()

        async def read_target():
            return target().read_text()

        async def call_helper():
            return helper()

        async def load():
            return Cached().load()

        async def run_heavy():
            return await heavy()

        async def run_plugin(plugin: Plugin):
            return plugin.run()

        async def untouched():
            return 1
    """,
}

EDITS = {
    # a return type: Path -> str (no file read any more)
    "return-type": ("app/make.py", 'return Path("data.txt")', 'return "data.txt"', False),
    # a name that did not exist now does, and sleeps
    "absent-name": (
        "app/names.py",
        "def other():",
        "def helper():\n    time.sleep(1)\n\ndef other():",
        True,
    ),
    # a base class method now reads a file
    "base-class": ("app/base.py", "return {}", 'return open("store.json").read()', True),
    # the decorator no longer offloads
    "decorator": (
        "app/deco.py",
        "return await asyncio.to_thread(fn, *args)",
        "return fn(*args)",
        True,
    ),
    # an implementation of a stub method, in a module the handler never imports, blocks
    "stub-implementation": (
        "app/plugins.py",
        'return "echo"',
        'return open("echo.txt").read()',
        True,
    ),
    # a new implementation of a stub method, in a module nothing the handler reads imports
    "new-implementation": (
        "app/extra.py",
        "VALUE = 1",
        'class Slow(Plugin):\n    def run(self):\n        return open("slow.txt").read()',
        True,
    ),
}


def _project(root: Path) -> None:
    make_project(root, {path: textwrap.dedent(text) for path, text in BASE.items()}, config="")


def _same_as_without_cache(root: Path) -> set[tuple[str, str, str]]:
    project = load_config(root / "pyproject.toml")
    edited = scan(project, jobs=1)
    fresh = scan(project, jobs=1, use_cache=False)
    assert not edited.from_cache
    assert without_stats(report_json(edited.report)) == without_stats(report_json(fresh.report))
    return keys(edited.report)


@pytest.mark.parametrize("case", sorted(EDITS))
def test_an_edit_in_another_module_is_seen_as_a_scan_without_cache_sees_it(tmp_path, case):
    _project(tmp_path)
    before = _same_as_without_cache(tmp_path)
    path, old, new, appears = EDITS[case]
    source = tmp_path / path
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    after = _same_as_without_cache(tmp_path)
    assert after - before if appears else before - after, (case, before, after)


def _classified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions classified (not reused) by the scans that follow, in order."""
    classified: list[str] = []
    keep = incremental.FactsStore.keep

    def recording(self: incremental.FactsStore, facts, reads) -> None:  # type: ignore[no-untyped-def]
        classified.append(facts.qualname)
        keep(self, facts, reads)

    monkeypatch.setattr(incremental.FactsStore, "keep", recording)
    return classified


def _edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text("utf-8")
    assert old in text
    (root / path).write_text(text.replace(old, new), encoding="utf-8")


def test_the_facts_of_functions_that_read_nothing_edited_are_reused(tmp_path, monkeypatch):
    _project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    first = scan(project, jobs=1)
    classified = _classified(monkeypatch)
    # the same line count, another call: the module's summary is not the same
    _edit(tmp_path, "app/make.py", 'return Path("data.txt")', 'return Path("other.txt")')
    edited = scan(project, jobs=1)
    # only what read app/make.py is classified again: the function there, and its caller
    assert sorted(classified) == ["app.handlers.read_target", "app.make.target"]
    assert keys(edited.report) == keys(first.report)


def test_an_edit_that_leaves_the_summary_as_it_was_reuses_everything(tmp_path, monkeypatch):
    _project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    scan(project, jobs=1)
    classified = _classified(monkeypatch)
    # comments and blank lines appended, a comment edited: only the source's hash and
    # length change (incremental.shape)
    write(tmp_path, {"app/make.py": textwrap.dedent(BASE["app/make.py"]) + "\n# edited\n"})
    _same_as_without_cache(tmp_path)
    _edit(tmp_path, "app/make.py", "# edited", "# edited again\n\n")
    _same_as_without_cache(tmp_path)
    assert classified == []
    # then a real edit of the same module is seen (the stored sources were moved on)
    _edit(tmp_path, "app/make.py", 'return Path("data.txt")', 'return "data.txt"')
    _same_as_without_cache(tmp_path)
    assert sorted(classified) == ["app.handlers.read_target", "app.make.target"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a column: a call moved on its line (the findings' columns come from the facts)
        ('return Path("data.txt")', 'return  Path("data.txt")'),
        # a value that compares equal to the old one but is not it (`1 == True`)
        ("def target():", "FLAG = 1\ndef target():"),
    ],
)
def test_an_edit_of_what_classification_reads_is_classified_again(tmp_path, monkeypatch, old, new):
    _project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    if "FLAG" in new:  # start from FLAG = True
        _edit(tmp_path, "app/make.py", old, new.replace("1", "True"))
        old = new.replace("1", "True")
    scan(project, jobs=1)
    classified = _classified(monkeypatch)
    _edit(tmp_path, "app/make.py", old, new)
    _same_as_without_cache(tmp_path)
    assert "app.make.target" in classified


def test_the_shape_of_a_summary_is_its_values_and_their_types():
    from blocking_io.static_detector import ir
    from blocking_io.static_detector.summarize import summarize

    def of(source: str) -> bytes:
        return incremental.shape(summarize(source.encode(), "m", "m.py", False))

    assert of("X = 1\n") == of("X = 1\n# a comment\n\n")
    assert of("X = 1\n") != of("X = True\n")
    assert of("X = 1\n") != of("X = 1.0\n")
    assert of("f(x)\n") != of("f( x)\n")
    assert ir.Const(1) == ir.Const(True)  # why shape() pickles rather than compares


def test_a_summary_the_cache_no_longer_has_is_classified_again(tmp_path, monkeypatch):
    _project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    scan(project, jobs=1)
    for entry in (tmp_path / ".blocking-io" / "cache").rglob("summary/*/*.pickle"):
        entry.unlink()
    classified = _classified(monkeypatch)
    write(tmp_path, {"app/make.py": textwrap.dedent(BASE["app/make.py"]) + "\n# edited\n"})
    _same_as_without_cache(tmp_path)
    assert sorted(classified) == ["app.handlers.read_target", "app.make.target"]


def test_a_corrupt_facts_entry_is_classified_again(tmp_path):
    _project(tmp_path)
    project = load_config(tmp_path / "pyproject.toml")
    scan(project, jobs=1)
    (entry,) = (tmp_path / ".blocking-io" / "cache").rglob("facts/*/*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])
    write(tmp_path, {"app/make.py": textwrap.dedent(BASE["app/make.py"]) + "\n# edited\n"})
    assert keys(_same_as_without_cache(tmp_path) and scan(project, jobs=1).report)
