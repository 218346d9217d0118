"""Framework packs are data: a pack file that names a framework's base classes, decorators
and registration calls is enough for the detector to treat what the framework runs on the
loop as loop code, without the framework installed and without `loop-entrypoints`."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_support import project, run
from blocking_io.shared_rules import registry as registry_module
from blocking_io.shared_rules.errors import InputError

SHIPPED = Path(registry_module.__file__).parent / "data"

INHOUSE = """\
name = "inhouse"
imports = ["bus"]
loop_decorator = ["bus.listener"]
thread_decorator = ["bus.in_thread"]

[[loop_method]]
bases = ["bus.Middleware"]
methods = ["before", "on_*"]
async_twin = "a{name}"
"""


def _lines(tmp_path: Path) -> dict[int, str]:
    report = run(tmp_path / "proj")
    return {f.line: f.rule for f in report.findings}


APP = """\
import time
from pathlib import Path

from bus import Middleware, in_thread, listener

LOG = Path("/var/log/app.log")


class Audit(Middleware):
    def before(self, event):
        LOG.read_text()

    def on_message(self, event):
        time.sleep(1)

    def helper(self):
        LOG.read_text()


class Twin(Middleware):
    def before(self, event):
        LOG.read_text()

    async def abefore(self, event):
        return None


@listener("tick")
def on_tick():
    LOG.read_text()


@listener("tock")
@in_thread
def on_tock():
    LOG.read_text()
"""


def test_an_inhouse_pack_makes_its_hooks_loop_roots(registry_data: Path, tmp_path: Path):
    (registry_data / "frameworks" / "inhouse.toml").write_text(INHOUSE)
    project(tmp_path / "proj", {"app.py": APP})
    found = _lines(tmp_path)
    # Audit.before, Audit.on_message (a `prefix*` name), the @listener function; not
    # Twin.before (its async twin runs instead), on_tock (in a thread), Audit.helper
    assert found == {11: "BIO102", 14: "BIO301", 30: "BIO102"}


def test_without_the_pack_the_same_code_has_no_loop_root(tmp_path: Path):
    project(tmp_path / "proj", {"app.py": APP})
    assert _lines(tmp_path) == {}


def test_a_lifecycle_entry_must_name_a_callback_or_decorator_of_its_pack(registry_data: Path):
    (registry_data / "frameworks" / "inhouse.toml").write_text(
        INHOUSE.replace('loop_decorator = ["bus.listener"]\n', 'lifecycle = ["bus.startup"]\n')
    )
    with pytest.raises(InputError, match=r"inhouse\.toml.*bus\.startup"):
        registry_module.builtin_registry()


def test_an_off_loop_condition_must_name_a_callback_or_decorator_of_its_pack(
    registry_data: Path,
):
    (registry_data / "frameworks" / "inhouse.toml").write_text(
        INHOUSE.replace(
            "[[loop_method]]",
            '[off_loop_if]\n"bus.nowhere" = ["kw:thread=True"]\n\n[[loop_method]]',
        )
    )
    with pytest.raises(InputError, match=r"inhouse\.toml.*bus\.nowhere"):
        registry_module.builtin_registry()


def test_a_method_pattern_must_be_a_name_or_a_prefix(registry_data: Path):
    (registry_data / "frameworks" / "inhouse.toml").write_text(INHOUSE.replace('"on_*"', '"on-*"'))
    with pytest.raises(InputError, match=r"inhouse\.toml.*on-\*"):
        registry_module.builtin_registry()


def test_a_name_two_packs_share_still_offloads_where_only_one_applies(tmp_path: Path):
    # asyncio's and tornado's run_in_executor share a name; the loop's type is unknown and
    # the module imports neither: asyncio's counts anywhere, so the work is an offload
    project(
        tmp_path / "proj",
        {
            "svc.py": """\
            import time


            def work():
                time.sleep(1)


            class Worker:
                def __init__(self, loop):
                    self.loop = loop

                async def run(self):
                    await self.loop.run_in_executor(None, work)
            """
        },
    )
    report = run(tmp_path / "proj")
    assert report.findings == []
    assert [(o.api, o.target) for o in report.offloads] == [
        ("asyncio.AbstractEventLoop.run_in_executor", "svc.work")
    ]


def test_constructor_hooks_run_each_callable_of_the_list_at_start_up(tmp_path: Path):
    # FastAPI(on_startup=[...], on_shutdown=(...)): every item is a loop root of lifecycle
    # impact; a list under another keyword (dependencies) is not
    project(
        tmp_path / "proj",
        {
            "app.py": """\
            import time

            from fastapi import Depends, FastAPI


            def connect():
                time.sleep(1)


            def close():
                time.sleep(1)


            def settings():
                time.sleep(1)


            app = FastAPI(on_startup=[connect], on_shutdown=(close,), dependencies=[Depends(settings)])
            """
        },
    )
    report = run(tmp_path / "proj")
    assert sorted((f.line, f.impact.value) for f in report.findings) == [
        (7, "lifecycle"),
        (11, "lifecycle"),
    ]


def test_calling_a_thread_decorated_function_from_the_loop_runs_it_in_a_thread(
    registry_data: Path, tmp_path: Path
):
    (registry_data / "frameworks" / "inhouse.toml").write_text(INHOUSE)
    project(
        tmp_path / "proj",
        {
            "app.py": """\
            from pathlib import Path

            from bus import in_thread, listener

            LOG = Path("/var/log/app.log")


            @in_thread
            def archive():
                LOG.read_text()


            def plain():
                LOG.read_text()


            async def handler():
                archive()
                plain()
            """
        },
    )
    # archive() starts a thread; plain() runs inline
    assert _lines(tmp_path) == {19: "BIO102"}


def test_the_framework_scanned_itself_knows_its_own_base_class(tmp_path: Path):
    # scanning LangChain's own source: AgentMiddleware is a project class there, named by
    # its defining module (`...middleware.types`), which the pack names by its public alias
    project(
        tmp_path / "proj",
        {
            "langchain/__init__.py": "",
            "langchain/agents/__init__.py": "",
            "langchain/agents/middleware/__init__.py": (
                "from langchain.agents.middleware.types import AgentMiddleware\n"
            ),
            "langchain/agents/middleware/types.py": """\
            class AgentMiddleware:
                def before_model(self, state, runtime):
                    return None

                async def abefore_model(self, state, runtime):
                    return None
            """,
            "langchain/agents/middleware/audit.py": """\
            from pathlib import Path

            from langchain.agents.middleware.types import AgentMiddleware

            LOG = Path("/var/log/agent.log")


            class Audit(AgentMiddleware):
                def before_model(self, state, runtime):
                    LOG.read_text()


            class Twin(AgentMiddleware):
                def before_model(self, state, runtime):
                    LOG.read_text()

                async def abefore_model(self, state, runtime):
                    return None
            """,
        },
    )
    report = run(tmp_path / "proj")
    found = {(Path(f.path).name, f.line, f.rule) for f in report.findings}
    # Audit.before_model runs inline under ainvoke; Twin's async twin runs instead
    assert found == {("audit.py", 10, "BIO102")}
