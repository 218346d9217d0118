"""The pytest plugin in real pytest runs (pytester): selection, messages, opt-out, config."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Project

pytest_plugins = ["pytester"]

ANCHORS = """
    import asyncio
    import pytest
    import svc


    @pytest.mark.asyncio
    async def test_offloaded(tmp_path):
        (tmp_path / "a.txt").write_text("hello")
        assert await svc.offloaded(tmp_path / "a.txt") == "hello"


    @pytest.mark.asyncio
    async def test_blocking(tmp_path):
        (tmp_path / "a.txt").write_text("hello")
        assert await svc.blocking(tmp_path / "a.txt") == "hello"


    @pytest.mark.asyncio
    async def test_test_code_may_block(tmp_path):
        path = tmp_path / "a.txt"
        path.write_text("hello")  # test code, not the project's: not gated
        with open(path) as f:
            assert f.read() == "hello"
"""


def test_failing_anchor_names_rule_primitive_site_chain_and_fix(project: Project) -> None:
    project.anchor("test_files", ANCHORS)
    result = project.run()
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    assert "FAILED tests/blocking_io/test_files.py::test_blocking" in out
    result.stdout.fnmatch_lines(
        [
            "E       blocking_io.runtime_gate.BlockingIOViolation: BIO101 sync-file-open: "
            "`builtins.open` opens a file synchronously on the event loop",
            "E         primitive:  builtins.open",
            "E         at:         src/svc/__init__.py:5 in load",
            "E         call chain: tests/blocking_io/test_files.py:16 in test_blocking",
            "E                  -> src/svc/__init__.py:10 in blocking",
            "E                  -> src/svc/__init__.py:5 in load",
            "E         fix:        Move the whole open/read/write block into*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["blocking-io: runtime gate on tests/blocking_io*; scanned modules: svc"]
    )


def test_swallowed_violation_fails_the_test_and_says_where(project: Project) -> None:
    project.anchor(
        "test_swallow",
        """
        import pytest
        import svc


        @pytest.mark.asyncio
        async def test_swallowing(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await svc.swallowing(tmp_path / "a.txt") is None
        """,
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "blocking-io: 1 blocking call on the event loop was caught and swallowed by the code "
            "under test*",
            "BIO101 sync-file-open: *",
            "  at:         src/svc/__init__.py:5 in load",
            # the `except Exception:` that swallowed it, not the call inside the `try`
            "  swallowed:  caught in src/svc/__init__.py:20 in swallowing; the test never saw the error",
        ]
    )


SWALLOWERS = """\
import contextlib


def load(path):
    with open(path) as f:
        return f.read()


async def second_handler(path):
    try:
        value = load(path)
    except KeyError:
        return None
    except (ValueError, Exception):
        return None
    return value


async def outer_try(path):
    try:
        try:
            return load(path)
        except KeyError:
            return None
        finally:
            pass
    except Exception:
        return None


async def suppressed(path):
    with contextlib.suppress(OSError, Exception):
        return load(path)


async def in_the_handler(path):
    try:
        raise ValueError("first")
    except ValueError:
        try:
            return load(path)
        except Exception:
            return None
"""


def test_the_swallowed_line_names_the_except_that_caught_it(project: Project) -> None:
    project.module("swallowers", SWALLOWERS)
    project.anchor(
        "test_swallowers",
        """
        import pytest
        from svc import swallowers


        @pytest.mark.asyncio
        @pytest.mark.parametrize(
            "name", ["second_handler", "outer_try", "suppressed", "in_the_handler"]
        )
        async def test_swallowing(tmp_path, name):
            (tmp_path / "a.txt").write_text("x")
            assert await getattr(swallowers, name)(tmp_path / "a.txt") is None
        """,
    )
    result = project.run()
    result.assert_outcomes(failed=4)
    shown = sorted(
        line.strip()
        for line in result.stdout.lines
        if line.startswith("  swallowed:  caught in src/svc/swallowers.py")
    )
    where = "swallowed:  caught in src/svc/swallowers.py:{} in {}; the test never saw the error"
    assert shown == sorted(
        where.format(line, name)
        for line, name in (
            (14, "second_handler"),  # `except (ValueError, Exception):`, not `except KeyError:`
            (27, "outer_try"),  # the outer `except Exception:`: the inner one did not match
            (32, "suppressed"),  # `with contextlib.suppress(...)`
            (42, "in_the_handler"),  # the `except` of the try inside the handler
        )
    )


def test_a_retry_loop_prints_the_violation_once_with_a_count(project: Project) -> None:
    project.module(
        "retry",
        """
        from svc import load


        async def retrying(path, attempts):
            for _ in range(attempts):
                try:
                    return load(path)
                except Exception:
                    continue
            return None
        """,
    )
    project.anchor(
        "test_retry",
        """
        import pytest
        from svc import retry


        @pytest.mark.asyncio
        async def test_retrying(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await retry.retrying(tmp_path / "a.txt", 3) is None
        """,
    )
    result = project.run("--blocking-io-report=anchors.json")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "blocking-io: 3 blocking calls on the event loop were caught and swallowed by the "
            "code under test*",
            "BIO101 sync-file-open: *",
            "  times:      3 (the same call, caught each time)",
            "  at:         src/svc/__init__.py:5 in load",
            "  swallowed:  caught in src/svc/retry.py:9 in retrying; the test never saw the error",
        ]
    )
    blocks = [line for line in result.stdout.lines if line.startswith("BIO101 sync-file-open")]
    assert len(blocks) == 1  # once, not three times
    # the report still records each call
    report = json.loads((project.path / "anchors.json").read_text())
    assert [v["line"] for v in report["violations"]] == [5, 5, 5]


def test_swallowed_violation_of_a_test_that_fails_anyway_is_reported_too(
    project: Project,
) -> None:
    project.anchor(
        "test_swallow_fail",
        """
        import pytest
        import svc


        @pytest.mark.asyncio
        async def test_swallowing(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await svc.swallowing(tmp_path / "a.txt") == "x"
        """,
    )
    result = project.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert None == 'x'*", "*blocking-io: swallowed blocking calls*"])


def test_async_fixture_setup_and_teardown_are_gated(project: Project) -> None:
    project.anchor(
        "test_fixtures",
        """
        import pytest
        import pytest_asyncio
        import svc


        @pytest_asyncio.fixture
        async def loaded_at_setup(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            yield await svc.blocking(tmp_path / "a.txt")


        @pytest_asyncio.fixture
        async def loaded_at_teardown(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            yield
            await svc.blocking(tmp_path / "a.txt")


        @pytest.mark.asyncio
        async def test_setup(loaded_at_setup):
            pass


        @pytest.mark.asyncio
        async def test_teardown(loaded_at_teardown):
            pass
        """,
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_setup*",
            "*BlockingIOViolation: BIO101*",
            "*ERROR at teardown of test_teardown*",
            "*BlockingIOViolation: BIO101*",
        ]
    )


def test_opt_out_with_a_reason_is_not_gated(project: Project) -> None:
    project.anchor(
        "test_optout",
        """
        import pytest
        import svc


        @pytest.mark.allow_blocking_io(reason="legacy endpoint, tracked in #12")
        @pytest.mark.asyncio
        async def test_legacy(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            assert await svc.blocking(tmp_path / "a.txt") == "x"
        """,
    )
    project.run().assert_outcomes(passed=1)


def test_opt_out_without_a_reason_is_a_usage_error_for_that_test(project: Project) -> None:
    project.anchor(
        "test_optout",
        """
        import pytest


        @pytest.mark.allow_blocking_io
        def test_no_reason():
            pass


        @pytest.mark.allow_blocking_io(reason="  ")
        def test_blank_reason():
            pass


        def test_other():
            pass
        """,
    )
    result = project.run()
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        ["*@pytest.mark.allow_blocking_io needs a reason: @pytest.mark.allow_blocking_io(reason=*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_marker_gates_a_test_outside_the_anchor_folders(project: Project) -> None:
    project.anchor(
        "test_unit",
        """
        import pytest
        import svc


        @pytest.mark.blocking_io_gate
        @pytest.mark.asyncio
        async def test_marked(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            await svc.blocking(tmp_path / "a.txt")


        @pytest.mark.asyncio
        async def test_unmarked(tmp_path):
            (tmp_path / "a.txt").write_text("x")
            await svc.blocking(tmp_path / "a.txt")
        """,
        folder="tests/unit",
    )
    result = project.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED tests/unit/test_unit.py::test_marked - *"])
    everything = project.run("--blocking-io-gate=all")
    everything.assert_outcomes(failed=2)
    off = project.run("--blocking-io-gate=off")
    assert off.ret == pytest.ExitCode.INTERRUPTED  # `import svc` fails: source-roots not added


def test_anchor_paths_from_the_config(project: Project) -> None:
    project.configure(extra='anchor-paths = ["tests/anchors"]')
    project.anchor("test_a", ANCHORS, folder="tests/anchors")
    project.anchor("test_b", ANCHORS, folder="tests/blocking_io")
    result = project.run()
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["FAILED tests/anchors/test_a.py::test_blocking - *"])


def test_inert_in_a_project_without_the_table(bare: Project) -> None:
    """No [tool.blocking-io]: nothing is gated, no header, sys.path untouched."""
    (bare.path / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nasyncio_mode = "auto"\npythonpath = ["."]\n'
        'asyncio_default_fixture_loop_scope = "function"\n'
    )
    (bare.path / "svc2").mkdir()
    (bare.path / "svc2" / "__init__.py").write_text(
        "def load(p):\n    with open(p) as f:\n        return f.read()\n\n"
        "async def blocking(p):\n    return load(p)\n"
    )
    bare.anchor(
        "test_x",
        "import sys, svc2\n\n"
        "async def test_blocks(tmp_path):\n"
        "    (tmp_path / 'a').write_text('x')\n"
        "    assert await svc2.blocking(tmp_path / 'a') == 'x'\n\n"
        "def test_plugin_not_registered(pytestconfig):\n"
        "    assert pytestconfig.pluginmanager.get_plugin('blocking-io-gate') is None\n",
    )
    result = bare.run()
    result.assert_outcomes(passed=2)
    assert "blocking-io: runtime gate" not in result.stdout.str()


def test_markers_and_options_are_documented(bare: Project) -> None:
    markers = bare.run("--markers")
    markers.stdout.fnmatch_lines(
        ["@pytest.mark.blocking_io_gate: *", "@pytest.mark.allow_blocking_io(reason): *"]
    )
    helptext = bare.run("--help")
    helptext.stdout.fnmatch_lines(
        [
            "blocking-io runtime gate (Blockbuster):",
            "*--blocking-io-gate=*",
            "*--blocking-io-report=*",
            "*--blocking-io-revert-offload=PATH:LINE*",
        ]
    )
    helptext.stdout.fnmatch_lines(["*blocking_io_gate (string)*"])


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'anchor-path = ["x"]',
            "[tool.blocking-io].anchor-path: unknown key; did you mean 'anchor-paths'?",
        ),
        (
            "scanned-modules = 3",
            "[tool.blocking-io].scanned-modules: expected a list, got an integer",
        ),
        ('select = ["NOPE1"]', "[tool.blocking-io].select: unknown rule id 'NOPE1'"),
    ],
)
def test_broken_config_is_one_line_naming_the_file(
    bare: Project, table: str, expected: str
) -> None:
    (bare.path / "pyproject.toml").write_text(f"[tool.blocking-io]\n{table}\n")
    bare.anchor("test_x", "def test_x():\n    pass\n")
    result = bare.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"ERROR: {bare.path}/pyproject.toml: {expected}")


def test_unimportable_scanned_module_is_one_line(project: Project) -> None:
    (project.path / "pyproject.toml").write_text(
        '[tool.blocking-io]\nscanned-modules = ["no_such_pkg"]\n'
    )
    project.anchor("test_a", "def test_a():\n    pass\n")
    result = project.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert [line for line in result.stderr.lines if line.strip()] == [
        f"ERROR: {project.path}/pyproject.toml: [tool.blocking-io]: cannot import scanned "
        "module 'no_such_pkg' (is its source root on sys.path?)"
    ]


def test_bad_revert_site_is_one_line(project: Project) -> None:
    project.anchor("test_a", "def test_a():\n    pass\n")
    result = project.run("--blocking-io-revert-offload=src/svc/nope.py:3")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: --blocking-io-revert-offload: 'src/svc/nope.py:3': no such file*"]
    )
    result = project.run("--blocking-io-revert-offload=src/svc/__init__.py")
    result.stderr.fnmatch_lines(["ERROR: --blocking-io-revert-offload: *is not PATH:LINE*"])


def test_source_roots_are_put_on_sys_path(project: Project) -> None:
    project.anchor(
        "test_path",
        """
        import sys
        import svc


        def test_imported_from_the_source_root(pytestconfig):
            assert svc.__file__.endswith("src/svc/__init__.py")
            assert str(pytestconfig.rootpath / "src") in sys.path
        """,
    )
    project.run().assert_outcomes(passed=1)


EXTRA_RULE = """
[[tool.blocking-io.extra-rules]]
id = "PRJ00{n}"
name = "rule-{n}"
category = "sdk"
severity = "high"
title = "t"
message = "`{{symbol}}` m"
fix = "f"
{requires}
runtime = {{ mode = "patch", keys = ["{key}"] }}
targets = ["{key}"]
"""


def _with_extra_rules(project: Project, *rules: str) -> None:
    text = (project.path / "pyproject.toml").read_text()
    head, _, tail = text.partition("\n[tool.pytest.ini_options]")
    body = "".join(rules)
    (project.path / "pyproject.toml").write_text(f"{head}\n{body}\n[tool.pytest.ini_options]{tail}")


def test_project_rule_for_a_package_not_installed_is_skipped(project: Project) -> None:
    _with_extra_rules(
        project,
        EXTRA_RULE.format(
            n=1, key="not_installed_zz.Client.send", requires='requires = "not_installed_zz"'
        ),
    )
    project.anchor("test_a", ANCHORS)
    project.run().assert_outcomes(passed=2, failed=1)


def test_project_rule_with_an_unresolvable_key_is_one_line(project: Project) -> None:
    _with_extra_rules(project, EXTRA_RULE.format(n=2, key="svc.nope.fetch", requires=""))
    project.anchor("test_a", ANCHORS)
    result = project.run()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in result.stderr.lines if line.strip()]
    assert len(errors) == 1
    assert errors[0].startswith(
        f"ERROR: {project.path}/pyproject.toml: [tool.blocking-io]: runtime key 'svc.nope.fetch': "
    )


def test_a_lint_only_install_without_the_gate_extra_says_what_to_install(
    project: Project,
) -> None:
    # blockbuster not importable, as in `pip install blocking-io` without [gate]
    (project.path / "conftest.py").write_text("import sys\nsys.modules['blockbuster'] = None\n")
    project.anchor("test_files", ANCHORS)
    result = project.run_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: the blocking-io runtime gate needs blockbuster: pip install 'blocking-io[gate]'"]
    )


def test_an_unconfigured_project_runs_without_the_gate_extra(bare: Project) -> None:
    (bare.path / "conftest.py").write_text("import sys\nsys.modules['blockbuster'] = None\n")
    bare.anchor("test_plain", "def test_ok():\n    assert True\n", folder="tests")
    result = bare.run_subprocess()
    result.assert_outcomes(passed=1)
