"""Which untyped `x.name(...)` calls could be a registry target, by the target's real
signature on this interpreter: the ones that cannot are never handed to astroid."""

from __future__ import annotations

import pytest
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
