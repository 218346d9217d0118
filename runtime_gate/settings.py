"""What the pytest plugin should do, from `[tool.blocking-io]` plus pytest's CLI and ini.

The plugin is inert (None here) unless the project configures it: a `[tool.blocking-io]`
table in the pyproject.toml found from pytest's rootdir, or one of the plugin's own
options. Bad configuration is one `pytest.UsageError` line naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from blocking_io.shared_rules import tomlio
from blocking_io.shared_rules.config import ProjectConfig, find_pyproject, load_config
from blocking_io.shared_rules.errors import InputError

from .modes import MODES
from .offload import Site, SiteError, parse_site


@dataclass(frozen=True)
class PluginSettings:
    project: ProjectConfig
    mode: str  # anchors | all
    scanned_modules: tuple[str, ...]
    anchor_paths: tuple[str, ...]
    report: Path | None  # where to write anchors.json (None: do not record)
    revert: tuple[Site, ...]

    @property
    def root(self) -> Path:
        return self.project.root


def _has_table(path: Path | None) -> bool:
    if path is None or not path.is_file():
        return False
    return "blocking-io" in tomlio.load(path).get("tool", {})


def resolve(config: pytest.Config) -> PluginSettings | None:
    opt = config.option
    mode = opt.blocking_io_gate or config.getini("blocking_io_gate") or "anchors"
    if mode not in MODES:
        raise pytest.UsageError(f"blocking_io_gate = {mode!r}: expected one of {', '.join(MODES)}")
    if mode == "off":
        return None
    cli_modules = tuple(opt.blocking_io_scanned or ()) + tuple(
        config.getini("blocking_io_scanned_modules") or ()
    )
    explicit = bool(
        cli_modules
        or opt.blocking_io_report is not None
        or opt.blocking_io_revert_offload
        or opt.blocking_io_gate
        or opt.blocking_io_config
    )
    start = Path(config.inipath).parent if config.inipath else Path(config.rootpath)
    try:
        if opt.blocking_io_config:
            given = Path(opt.blocking_io_config)
            if not given.is_absolute():
                given = config.invocation_params.dir / given
            project = load_config(given)
        else:
            if not _has_table(find_pyproject(start)) and not explicit:
                return None  # not configured: change nothing
            project = load_config(cwd=start)
    except InputError as exc:
        raise pytest.UsageError(str(exc)) from None

    settings = project.settings
    report = None
    if opt.blocking_io_report is not None:
        if opt.blocking_io_report == "":
            report = project.report_dir / "anchors.json"
        else:
            report = Path(opt.blocking_io_report)
            if not report.is_absolute():
                report = config.invocation_params.dir / report
    revert = []
    for text in opt.blocking_io_revert_offload or ():
        try:
            revert.append(parse_site(text, project.root))
        except SiteError as exc:
            raise pytest.UsageError(f"--blocking-io-revert-offload: {exc}") from None
    return PluginSettings(
        project=project,
        mode=mode,
        scanned_modules=cli_modules or settings.scanned_modules,
        anchor_paths=tuple(p.strip("/") for p in settings.anchor_paths),
        report=report,
        revert=tuple(revert),
    )
