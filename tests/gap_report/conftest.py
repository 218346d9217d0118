"""Fixtures of the gap report's tests (the generated project lives in gap_project.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gap_project import Project, build_scenario


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The generated project with findings.json and anchors.json made by the real tools.
    Read-only: tests that change files or reports take `project`."""
    return build_scenario(tmp_path_factory.mktemp("scenario") / "proj")


@pytest.fixture
def project(scenario: Project, tmp_path: Path) -> Project:
    """A fresh copy of the scenario, reports included, to edit."""
    return scenario.copy(tmp_path / "proj")
