"""Which untyped `x.name(...)` calls could be a registry target, by the target's real
signature on this interpreter: the ones that cannot are never handed to astroid."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from blocking_io.static_detector import signatures
from blocking_io.static_detector.signatures import accepts, could_be
from blocking_io.static_detector.summarize import summarize


@pytest.mark.parametrize(
    ("symbol", "npos", "keywords", "unpacks"),
    [
        ("pathlib.Path.replace", 1, [], False),  # path.replace(target)
        ("pathlib.Path.replace", 0, ["target"], False),
        ("pathlib.Path.replace", 2, [], True),  # *args: could be anything
        ("queue.Queue.get", 1, [], False),  # q.get(False)
        ("queue.Queue.get", 0, ["timeout"], False),
        ("threading.Thread.join", 0, [], False),
        ("concurrent.futures.Executor.shutdown", 0, ["wait"], False),
        ("socket.socket.connect", 1, [], False),
        ("requests.Session.get", 5, ["anything"], False),  # third party: not imported
    ],
)
def test_calls_that_fit_the_target_are_candidates(symbol, npos, keywords, unpacks):
    assert could_be(symbol, npos, keywords, unpacks)


@pytest.mark.parametrize(
    ("symbol", "npos", "keywords"),
    [
        ("pathlib.Path.replace", 2, []),  # text.replace("\\", "/")
        ("pathlib.Path.replace", 0, ["tzinfo"]),  # moment.replace(tzinfo=UTC)
        ("pathlib.Path.group", 1, []),  # match.group("token")
        ("threading.Thread.join", 3, []),
        ("os.remove", 1, []),  # workers.remove(p): module functions come through a module
        ("json.load", 1, []),
        ("requests.get", 1, []),
    ],
)
def test_calls_that_cannot_be_the_target_are_not(symbol, npos, keywords):
    assert not could_be(symbol, npos, keywords, False)


_PROJECT = b"""
class Store:
    async def copy(self, src, dst): ...
    async def delete(self, path, *, missing_ok=False): ...
    async def put(self, *items, **options): ...

def caller(x, options):
    options.copy()
    x.copy("a", "b")
    x.copy("a")
    x.delete("p")
    x.delete("p", missing_ok=True)
    x.delete(filter={}, namespace="n")
    x.delete("p", path="q")
    x.put(1, 2, 3, anything=True)
    x.copy(*pair)
"""


@pytest.mark.parametrize(
    ("method", "call", "binds"),
    [
        ("copy", 0, False),  # options.copy(): a dict, not Store.copy(src, dst)
        ("copy", 1, True),
        ("copy", 2, False),  # dst missing
        ("delete", 3, True),
        ("delete", 4, True),
        ("delete", 5, False),  # pinecone's index.delete(filter=..., namespace=...)
        ("delete", 6, False),  # path given twice
        ("put", 7, True),  # *items, **options take anything
        ("copy", 8, True),  # *pair: any shape
    ],
)
def test_project_method_accepts_only_calls_that_bind(method, call, binds):
    summary = summarize(_PROJECT, "store", "store.py", False)
    sites = summary.functions["caller"].calls
    assert accepts(summary.functions[f"Store.{method}"], 1, sites[call]) is binds


# -- the shapes kept beside the module -----------------------------------------------------


def _stdlib_targets() -> list[str]:
    from blocking_io.shared_rules import builtin_registry

    return sorted(
        {
            target.symbol
            for rule in builtin_registry().all_rules
            for target in rule.targets
            if not target.is_wildcard and target.symbol.partition(".")[0] in sys.stdlib_module_names
        }
    )


def _answers(symbols: list[str]) -> list[bool]:
    """could_be over positional counts and keywords that bind or do not, per symbol."""
    out = []
    for symbol in symbols:
        for npos in range(4):
            for keywords in ([], ["timeout"], ["mode", "encoding"], ["not_a_parameter"]):
                out.append(could_be(symbol, npos, keywords, False))
    return out


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shapes kept in tmp_path, as a new process finds them (nothing read yet)."""
    path = tmp_path / "__pycache__" / "signatures.test.marshal"
    monkeypatch.setattr(signatures, "_store", lambda: path)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    _new_process()
    yield path
    _new_process()


def _new_process() -> None:
    signatures._shape.cache_clear()
    signatures._stored.cache_clear()


def _no_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    def imported(dotted: str) -> None:
        raise AssertionError(f"{dotted} imported although its shape is kept")

    monkeypatch.setattr(signatures, "_import", imported)


def test_kept_shapes_answer_as_the_interpreter_does_without_importing(store, monkeypatch):
    symbols = _stdlib_targets()
    read = _answers(symbols)  # from the signatures of this interpreter, kept as they are read
    assert store.exists()
    _new_process()
    _no_imports(monkeypatch)
    assert _answers(symbols) == read
    assert False in read and True in read


def test_nothing_is_kept_where_bytecode_would_not_be(store, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert could_be("pathlib.Path.replace", 1, [], False)
    assert not could_be("pathlib.Path.replace", 2, [], False)
    assert not store.exists()


def test_a_corrupt_store_is_read_again(store, monkeypatch):
    assert not could_be("threading.Thread.join", 3, [], False)
    store.write_bytes(b"\xff not marshal")
    _new_process()
    assert not could_be("threading.Thread.join", 3, [], False)  # read from the interpreter
    _new_process()
    _no_imports(monkeypatch)
    assert could_be("threading.Thread.join", 1, [], False)  # and kept again


def test_a_module_shadowing_the_standard_library_is_not_kept(store, monkeypatch, tmp_path):
    # `python -m blocking_io` at a project's root puts the project first on sys.path
    (tmp_path / "poplib.py").write_text("class POP3:\n    def stat(self, a, b, c): ...\n")
    real = sys.modules.pop("poplib", None)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert could_be("poplib.POP3.stat", 3, [], False)  # what the shadowing module says
    finally:
        sys.modules.pop("poplib", None)
        if real is not None:
            sys.modules["poplib"] = real
    assert not store.exists()  # ... is not remembered for other projects
    assert could_be("socket.socket.connect", 1, [], False)
    _new_process()
    _no_imports(monkeypatch)
    assert could_be("socket.socket.connect", 1, [], False)
