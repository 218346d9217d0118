"""The validated built-in registry is cached beside its data files, like bytecode: a later
process unpickles it instead of parsing and validating the TOML again (a seventh of an
unchanged re-run). The cache must never serve rules that the data files no longer say."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from blocking_io.shared_rules import registry as registry_module
from blocking_io.shared_rules.errors import InputError

SHIPPED = Path(registry_module.__file__).parent / "data"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped data files, read by builtin_registry() in this test only."""
    copy = tmp_path / "data"
    shutil.copytree(SHIPPED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(registry_module, "DATA", copy)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    registry_module.builtin_registry.cache_clear()
    yield copy
    registry_module.builtin_registry.cache_clear()


def fresh() -> registry_module.Registry:
    """builtin_registry() as a new process would call it."""
    registry_module.builtin_registry.cache_clear()
    return registry_module.builtin_registry()


def compiled(data: Path) -> list[Path]:
    return sorted((data / "__pycache__").glob("registry.*.pickle"))


def test_a_second_process_reads_the_compiled_registry_without_validating(data, monkeypatch):
    first = fresh()
    [entry] = compiled(data)

    def no_validation(raw):
        raise AssertionError("validated again although the compiled registry is current")

    monkeypatch.setattr(registry_module, "_validate", no_validation)
    second = fresh()
    assert second.rules_hash == first.rules_hash
    assert [r.id for r in second.all_rules] == [r.id for r in first.all_rules]
    assert (
        second.match("pathlib.Path.write_text").rule.id
        == first.match("pathlib.Path.write_text").rule.id
    )
    assert compiled(data) == [entry]


def test_an_edited_rules_file_is_never_served_from_the_cache(data):
    before = fresh()
    rules = data / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    rule = before.match("time.sleep").rule
    assert rule.message in text
    rules.write_text(text.replace(rule.message, "sleeps on the loop (edited)", 1), "utf-8")
    after = fresh()
    assert after.match("time.sleep").rule.message == "sleeps on the loop (edited)"
    assert after.rules_hash != before.rules_hash


def test_a_corrupt_compiled_registry_is_rebuilt(data):
    expected = fresh().rules_hash
    [entry] = compiled(data)
    entry.write_bytes(b"\x80\x05not a pickle")
    assert fresh().rules_hash == expected
    assert fresh().rules_hash == expected  # and the entry was rewritten whole
    assert entry.read_bytes().startswith(b"\x80")
    assert len(entry.read_bytes()) > 1000


def test_a_broken_data_file_is_still_an_error_with_a_cache_present(data):
    fresh()
    (data / "rules.toml").write_text("[[rule]\nid = ", "utf-8")
    with pytest.raises(InputError, match=r"rules\.toml"):
        fresh()


def test_nothing_is_written_where_bytecode_would_not_be(data, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert fresh().match("time.sleep") is not None
    assert compiled(data) == []


def test_a_data_directory_that_cannot_hold_a_cache_still_works(data):
    # what a read-only install does, in a form that also holds for root: the cache
    # directory cannot be created
    (data / "__pycache__").write_text("not a directory", "utf-8")
    assert fresh().match("time.sleep") is not None
    assert fresh().match("time.sleep") is not None
    assert (data / "__pycache__").read_text("utf-8") == "not a directory"
