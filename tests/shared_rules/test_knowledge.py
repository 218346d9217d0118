"""Knowledge as data: the framework packs and the type tables are validated like the rules,
and the parsed forms are what both detectors read."""

from __future__ import annotations

from pathlib import Path

import pytest
from blocking_io.shared_rules import registry as registry_module
from blocking_io.shared_rules.errors import InputError
from blocking_io.shared_rules.knowledge import TypeRef
from blocking_io.shared_rules.models import ArgCondition

SHIPPED = Path(registry_module.__file__).parent / "data"


def test_every_shipped_pack_is_loaded_with_its_apis():
    registry = registry_module.builtin_registry()
    names = {p.name for p in registry.packs}
    assert {"asyncio", "threads", "anyio", "starlette", "asgiref"} <= names
    offloads = {a.symbol for a in registry.offloads}
    assert {"asyncio.to_thread", "anyio.to_thread.run_sync", "threading.Thread"} <= offloads
    assert "asyncio.AbstractEventLoop.call_later" in {a.symbol for a in registry.loop_callbacks}
    thread_callbacks = {a.symbol for a in registry.thread_callbacks}
    assert "concurrent.futures.Future.add_done_callback" in thread_callbacks
    assert "homeassistant.helpers.event.async_track_state_change_event" in thread_callbacks
    # what the teeth check walks past, from the packs
    assert {"asyncio", "anyio", "starlette"} <= set(registry.machinery)
    assert "serve_forever" in registry.long_running


def test_a_pack_with_an_unknown_key_names_the_file_and_the_key(registry_data: Path):
    pack = registry_data / "frameworks" / "asyncio.toml"
    pack.write_text(pack.read_text() + '\noflload = ["x"]\n')
    with pytest.raises(InputError, match=r"frameworks/asyncio\.toml.*oflload"):
        registry_module.builtin_registry()


def test_a_pack_api_that_is_not_a_dotted_name_is_an_error(registry_data: Path):
    (registry_data / "frameworks" / "broken.toml").write_text(
        'name = "broken"\n[[offload]]\nsymbol = "not a name"\nfunc_arg = 0\n'
    )
    with pytest.raises(InputError, match=r"frameworks/broken\.toml.*not a dotted name"):
        registry_module.builtin_registry()


def test_a_new_pack_file_is_picked_up_without_code_changes(registry_data: Path):
    (registry_data / "frameworks" / "inhouse.toml").write_text(
        'name = "inhouse"\nimports = ["inhouse"]\n'
        '[[offload]]\nsymbol = "inhouse.pool.run"\nfunc_arg = 0\n'
    )
    registry = registry_module.builtin_registry()
    assert "inhouse.pool.run" in {a.symbol for a in registry.offloads}


def test_the_type_tables_are_validated_and_parsed_once(registry_data: Path):
    registry = registry_module.builtin_registry()
    assert registry.types.returns["os.scandir"] == TypeRef("os.DirEntry", iterable=True)
    assert registry.types.canonical("posixpath.exists") == "os.path.exists"
    types = registry_data / "types.toml"
    broken = types.read_text().replace(
        "\n[returns]\n", '\n[returns]\n"x.y" = "iter:not a type"\n', 1
    )
    types.write_text(broken)
    registry_module.builtin_registry.cache_clear()
    with pytest.raises(InputError, match=r"types\.toml.*not a dotted name"):
        registry_module.builtin_registry()


@pytest.mark.parametrize(
    ("text", "position", "keyword", "flag", "literal"),
    [
        ("arg1~WNOHANG", 1, None, "WNOHANG", None),
        ("kw:blocking=False", None, "blocking", None, False),
        ("arg0=0", 0, None, None, 0),
        ("kw:timeout=0.0", None, "timeout", None, 0.0),
    ],
)
def test_nonblocking_conditions_are_parsed_into_one_typed_form(
    text, position, keyword, flag, literal
):
    condition = ArgCondition.model_validate(text)
    assert (condition.position, condition.keyword, condition.flag) == (position, keyword, flag)
    assert condition.literal == literal and type(condition.literal) is type(literal)
    assert str(condition) == text  # written back in the data's own notation


def test_a_literal_condition_tells_booleans_from_numbers():
    assert ArgCondition.model_validate("kw:blocking=False").equals(False)
    assert not ArgCondition.model_validate("kw:blocking=False").equals(0)
    assert not ArgCondition.model_validate("arg0=0").equals(False)


def test_a_malformed_condition_says_what_it_should_look_like():
    with pytest.raises(ValueError, match="must look like 'arg1~WNOHANG'"):
        ArgCondition.model_validate("arg1 WNOHANG")
