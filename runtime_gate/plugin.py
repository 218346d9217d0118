"""pytest plugin (entry point `blocking_io`): the runtime gate for anchor tests.

Loaded in every pytest run of an environment where blocking-io is installed, so this module
is cheap and inert: it registers the options and markers, and only when the project
configures the gate (a `[tool.blocking-io]` table in the pyproject.toml found from pytest's
rootdir, or one of the `--blocking-io-*` options / `blocking_io_*` ini keys) does it import
the gate and register `session.GatePlugin`; it then also puts the configured
`source-roots` on sys.path (like pytest's `pythonpath`), so anchors can import the project
without installing it. Disable the plugin with `-p no:blocking_io`.

Markers:
  @pytest.mark.blocking_io_gate               gate this test (outside the anchor folders too)
  @pytest.mark.allow_blocking_io(reason=...)  do not gate this test; the reason is required
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Generator
from pathlib import Path

import pytest

from .modes import MODES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib

PLUGIN_NAME = "blocking-io-gate"
# what the gate runs on, beyond pytest: the `gate` extra (a lint-only install has neither)
GATE_REQUIRES = ("blockbuster", "coverage")
MARKERS = (
    "blocking_io_gate: run this test under the blocking-io runtime gate (as if it were in "
    "an anchor folder): a blocking call on the event loop from the scanned modules fails it.",
    "allow_blocking_io(reason): run this test without the blocking-io runtime gate, even in "
    "an anchor folder; `reason` is required and says why blocking is acceptable here.",
)


class BlockingIOGateWarning(pytest.PytestWarning):
    """The gate cleaned up after a test (a gate left active)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("blocking-io", "blocking-io runtime gate (Blockbuster)")
    group.addoption(
        "--blocking-io-gate",
        choices=MODES,
        default=None,
        help="Which tests run under the gate: 'anchors' (default: tests under anchor-paths "
        "of [tool.blocking-io] and tests marked blocking_io_gate), 'all', or 'off'.",
    )
    group.addoption(
        "--blocking-io-report",
        nargs="?",
        const="",
        default=None,
        metavar="PATH",
        help="Record the anchors contract (each gated test, its outcome, the scanned lines "
        "it executed, violations) to PATH (default: <report-dir>/anchors.json).",
    )
    group.addoption(
        "--blocking-io-scanned",
        action="append",
        metavar="MODULE",
        help="Top-level module of the project's own code (repeatable); overrides "
        "scanned-modules of [tool.blocking-io].",
    )
    group.addoption(
        "--blocking-io-config",
        metavar="PATH",
        help="The pyproject.toml with [tool.blocking-io] (default: found from the rootdir).",
    )
    group.addoption(
        "--blocking-io-revert-offload",
        action="append",
        metavar="PATH:LINE",
        help="Teeth check: run the function offloaded by the asyncio.to_thread / "
        "run_in_executor / anyio.to_thread.run_sync / run_in_threadpool call at PATH:LINE "
        "inline on the event loop, so anchors that guard it fail (repeatable).",
    )
    parser.addini("blocking_io_gate", "blocking-io: default of --blocking-io-gate", default="")
    parser.addini(
        "blocking_io_scanned_modules",
        "blocking-io: scanned modules (instead of [tool.blocking-io] scanned-modules)",
        type="linelist",
        default=[],
    )


def _table_above(start: Path) -> bool:
    """Is there a pyproject.toml with [tool.blocking-io] at or above `start`? (No pydantic.)"""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        try:
            raw = candidate.read_bytes()
        except OSError:
            continue
        if b"blocking-io" not in raw:
            continue
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return True  # let the full loader report it, naming the file
        if "blocking-io" in data.get("tool", {}):
            return True
    return False


def _configured(config: pytest.Config) -> bool:
    opt = config.option
    mode = opt.blocking_io_gate or config.getini("blocking_io_gate")
    if mode == "off":
        return False
    if (
        mode
        or opt.blocking_io_scanned
        or opt.blocking_io_report is not None
        or opt.blocking_io_revert_offload
        or opt.blocking_io_config
        or config.getini("blocking_io_scanned_modules")
    ):
        return True
    start = Path(config.inipath).parent if config.inipath else Path(config.rootpath)
    return _table_above(start.resolve())


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)  # the gate imports it next anyway
    except ImportError:
        return False
    return True


def pytest_configure(config: pytest.Config) -> None:
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    if not _configured(config):
        return  # not configured: change nothing
    missing = [name for name in GATE_REQUIRES if not _importable(name)]
    if missing:
        raise pytest.UsageError(
            f"the blocking-io runtime gate needs {' and '.join(missing)}: "
            "pip install 'blocking-io[gate]'"
        )
    from . import settings
    from .session import GatePlugin

    resolved = settings.resolve(config)
    if resolved is None:
        return
    for root in resolved.project.settings.source_roots:
        path = str((resolved.root / root).resolve())
        if path not in sys.path:
            sys.path.insert(0, path)  # like pytest's `pythonpath`, so anchors can import them
    config.pluginmanager.register(GatePlugin(config, resolved), PLUGIN_NAME)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """Configured or not: a gate that a test entered and never exited dies with the test."""
    try:
        return (yield)
    finally:
        gates = sys.modules.get("blocking_io.runtime_gate.gates")
        if gates is not None:
            left = [g for g in gates.active_gates() if not getattr(g, "plugin_owned", False)]
            if left:
                for leaked in reversed(left):
                    leaked.force_deactivate()
                warnings.warn(
                    BlockingIOGateWarning(
                        f"{item.nodeid} left {len(left)} blocking-io gate(s) active; "
                        "they were deactivated and every patch restored"
                    ),
                    stacklevel=1,
                )
