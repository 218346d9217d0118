"""Bad input is one clear line naming the path, exit code 2, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from gap_project import Project


def one_error_line(done) -> str:  # type: ignore[no-untyped-def]
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("blocking-io: error: ")
    return line.removeprefix("blocking-io: error: ")


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def drop_key(key: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        data = json.loads(path.read_text())
        del data[key]
        path.write_text(json.dumps(data))

    return edit


def bad_line(path: Path) -> None:
    data = json.loads(path.read_text())
    data["findings"][0]["line"] = "twelve"
    path.write_text(json.dumps(data))


def bad_executed(path: Path) -> None:
    data = json.loads(path.read_text())
    data["anchors"][0]["executed"] = {"src/svc/handlers.py": "all of them"}
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("report", "damage", "message"),
    [
        (
            "findings",
            lambda p: p.unlink(),
            "report not found (run `blocking-io detect` first, or pass --findings)",
        ),
        (
            "anchors",
            lambda p: p.unlink(),
            "report not found (run the anchors with `pytest --blocking-io-report` first, or pass --anchors)",
        ),
        ("findings", truncate, "corrupt report: invalid JSON at line"),
        ("anchors", truncate, "corrupt report: invalid JSON at line"),
        ("findings", lambda p: p.write_text(""), "corrupt report: invalid JSON at line 1 column 1"),
        ("anchors", lambda p: p.write_bytes(b'{"schema": "\xff"}'), "not a UTF-8 JSON file"),
        ("findings", lambda p: p.write_text("[1, 2]"), "not a blocking-io report (no 'schema' key"),
        ("findings", drop_key("functions"), "corrupt report: "),
        ("anchors", drop_key("violations"), "corrupt report: "),
        ("findings", bad_line, "corrupt report: "),
        ("anchors", bad_executed, "corrupt report: "),
    ],
)
def test_damaged_reports(
    project: Project, report: str, damage: Callable[[Path], None], message: str
) -> None:
    damage(project.report_dir / f"{report}.json")

    line = one_error_line(project.gaps())

    assert line.startswith(f".blocking-io/{report}.json: {message}")
    assert not (project.report_dir / "gaps.json").exists()  # nothing half-done written


def test_reports_swapped_is_a_wrong_schema(scenario: Project) -> None:
    line = one_error_line(
        scenario.gaps(
            "--findings", ".blocking-io/anchors.json", "--anchors", ".blocking-io/findings.json"
        )
    )
    assert line == (
        ".blocking-io/anchors.json: wrong report schema 'blocking-io/anchors/2' "
        "(expected 'blocking-io/findings/2'; regenerate the report)"
    )


def test_a_directory_instead_of_a_report(scenario: Project) -> None:
    line = one_error_line(scenario.gaps("--anchors", "src"))
    assert line.startswith("src: cannot read report: ")


def test_explicit_paths_are_named_as_given(scenario: Project, tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere" / "findings.json"
    line = one_error_line(scenario.gaps("--findings", str(missing)))
    assert line.startswith(f"{missing}: report not found")


def test_an_unwritable_output(scenario: Project) -> None:
    line = one_error_line(scenario.gaps("--no-report", "-o", "pyproject.toml/gaps.txt"))
    assert line.startswith("pyproject.toml/gaps.txt: cannot write report: ")


def test_a_broken_config(project: Project) -> None:
    (project.path / "pyproject.toml").write_text("[tool.blocking-io]\nreport-dir = 3\n")
    line = one_error_line(project.gaps())
    assert "pyproject.toml" in line and "report-dir" in line


def test_a_refresh_that_cannot_write_its_report(project: Project) -> None:
    line = one_error_line(project.gaps("--refresh", "--findings", "pyproject.toml/findings.json"))
    assert line.startswith("--refresh: `blocking-io detect` failed: ")
    assert line.endswith("pyproject.toml/findings.json: cannot write report: File exists")


def test_a_refresh_with_files_it_could_not_analyse_still_joins(project: Project) -> None:
    project.write("src/svc/broken.py", "def broken(:\n")
    done = project.gaps("--refresh", "--format", "json", "--no-report")

    assert done.returncode == 0
    assert "blocking-io: warning: --refresh: " in done.stderr
    assert len(json.loads(done.stdout)["findings"]) == 6
