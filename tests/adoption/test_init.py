"""`blocking-io init` in existing projects: the layouts teams use, their pyproject.toml kept
as it was, the anchor folder, .gitignore, and a refusal that changes nothing."""

from __future__ import annotations

import stat
import sys

import pytest
from adoption_support import assert_one_error_line, cli, run_pytest, snapshot, write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = """\
# Acme API: the service that answers the phone.
[project]
name = "acme"   # keep this name: the deploy job greps for it
version = "1.4.0"
dependencies = [
    "httpx>=0.27",  # outbound calls
]

[tool.ruff]
line-length = 100 # wide screens

[tool.ruff.lint]
select = ["E", "F"]

[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"
"""

API = """
    import json
    from pathlib import Path


    def _load(path):
        return json.loads(Path(path).read_text())


    async def ping() -> str:
        return "pong"


    async def settings(config_path: Path) -> dict:
        return _load(config_path)
"""


def table(root):
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return data["tool"]["blocking-io"]


def test_src_layout_gets_a_table_an_anchor_folder_and_next_steps(tmp_path):
    write(tmp_path, {"src/acme/__init__.py": "", "src/acme/api.py": API, "tests/test_api.py": ""})
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "pyproject.toml").chmod(0o644)

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    # everything the team wrote is still there, byte for byte and in order; the table went
    # after the other [tool.*] tables, before [build-system]
    head, _, rest = PYPROJECT.partition("[build-system]")
    assert text.startswith(head.rstrip("\n") + "\n\n[tool.blocking-io]\n")
    assert text.endswith("\n\n[build-system]" + rest)
    assert stat.S_IMODE((tmp_path / "pyproject.toml").stat().st_mode) == 0o644
    assert table(tmp_path) == {
        "source-roots": ["src"],
        "scanned-modules": ["acme"],
        "anchor-paths": ["tests/blocking_io"],
        "report-dir": ".blocking-io",
    }
    block = text[text.index("[tool.blocking-io]") : text.index("[build-system]")]
    assert block.count("\n# ") >= 5  # commented: what each key is for
    assert "# offload-functions = " in block  # the next keys, commented out

    gitignore = (tmp_path / ".gitignore").read_text(encoding="utf-8")
    assert gitignore.splitlines()[-1] == "/.blocking-io/"
    readme = (tmp_path / "tests/blocking_io/README.md").read_text(encoding="utf-8")
    assert "`acme`" in readme and "blocking-io anchor new acme.api.ping" in readme
    assert "$" not in readme.replace("$ ", "")  # every placeholder was filled in
    # the example calls the async function that blocks nothing (settings() reads a file)
    example = tmp_path / "tests/blocking_io/test_api_ping.py"
    assert "from acme.api import ping" in example.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "tests/blocking_io").iterdir()) == [
        "README.md",
        "test_api_ping.py",
    ]
    lines = done.stdout.splitlines()
    nxt = lines[lines.index("Next:") + 1 :]
    assert [line.split("#")[0].strip() for line in nxt] == [
        "blocking-io detect",
        "pytest tests/blocking_io --blocking-io-report",
        "blocking-io gaps",
    ]

    # the example passes as-is, under the gate, and detect sees the project
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
    scanned = cli("detect", "--format", "json", "--no-report", cwd=tmp_path)
    assert scanned.returncode == 1, scanned.stderr  # _load's read_text, reached from settings()
    assert '"entrypoints": [\n        "acme.api.settings"' in scanned.stdout


def test_a_second_run_changes_nothing_and_says_so_and_force_is_idempotent(tmp_path):
    write(tmp_path, {"src/acme/__init__.py": "", "src/acme/api.py": API})
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    assert cli("init", cwd=tmp_path).returncode == 0
    (tmp_path / "tests/blocking_io/README.md").write_text("our own notes\n", encoding="utf-8")
    before = snapshot(tmp_path)

    again = cli("init", cwd=tmp_path)

    assert again.returncode == 0, again.stderr  # as its help says: running it again is fine
    assert again.stderr == ""
    assert "kept [tool.blocking-io] in pyproject.toml" in again.stdout
    assert "nothing to change" in again.stdout.splitlines()
    assert snapshot(tmp_path) == before

    # asking for another layout without --force is refused, naming --force
    other = cli("init", "--package", "other", cwd=tmp_path)
    assert_one_error_line(other, "pyproject.toml", "[tool.blocking-io] already exists", "--force")
    assert snapshot(tmp_path) == before

    # a deleted README comes back on the next run, the table untouched
    (tmp_path / "tests/blocking_io/README.md").unlink()
    restored = cli("init", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "wrote tests/blocking_io/README.md" in restored.stdout
    assert "nothing to change" not in restored.stdout
    (tmp_path / "tests/blocking_io/README.md").write_text("our own notes\n", encoding="utf-8")
    assert snapshot(tmp_path) == before

    forced = cli("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "replaced [tool.blocking-io]" in forced.stdout
    after = snapshot(tmp_path)
    assert after == before  # same layout, same table, same position; the user's files kept
    assert after["tests/blocking_io/README.md"] == b"our own notes\n"
    assert after[".gitignore"].count(b"/.blocking-io/") == 1
    assert cli("init", "--force", cwd=tmp_path).returncode == 0
    assert snapshot(tmp_path) == before


def test_force_replaces_a_hand_written_table_in_place(tmp_path):
    write(tmp_path, {"app/__init__.py": "", "app/main.py": "async def run_job():\n    pass\n"})
    original = (
        '[project]\nname = "app"\n\n[tool.blocking-io]\nscanned-modules = ["old"]\n\n'
        "[tool.ruff]\nline-length = 90\n"
    )
    (tmp_path / "pyproject.toml").write_text(original, encoding="utf-8")

    done = cli("init", "--force", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "app"\n\n[tool.blocking-io]\n')
    assert text.endswith("\n\n[tool.ruff]\nline-length = 90\n")
    assert table(tmp_path)["scanned-modules"] == ["app"]


def test_flat_layout_with_several_packages_scans_only_the_packages(tmp_path):
    write(
        tmp_path,
        {
            "billing/__init__.py": "",
            "billing/api.py": "async def invoice(invoice_id: int):\n    return invoice_id\n",
            "shipping/__init__.py": "",
            "shipping/track.py": "import time\n\nasync def track():\n    time.sleep(1)\n",
            "scripts/backfill.py": "import time\n\nasync def main():\n    time.sleep(5)\n",
            "docs/conf.py": "project = 'x'\n",
            "tests/__init__.py": "",
            "tests/test_billing.py": "def test_x():\n    pass\n",
            "setup.py": "from setuptools import setup\nsetup()\n",
        },
    )

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "flat layout" in done.stdout
    assert table(tmp_path) == {
        "source-roots": ["."],
        "include": ["billing", "shipping"],
        "scanned-modules": ["billing", "shipping"],
        "anchor-paths": ["tests/blocking_io"],
        "report-dir": ".blocking-io",
    }
    scanned = cli("detect", cwd=tmp_path)
    assert scanned.returncode == 1, scanned.stderr
    assert "shipping/track.py:4" in scanned.stdout
    assert "scripts/" not in scanned.stdout  # not the service's code
    # the example needs an invoice id nobody can guess: a skeleton, skipped with the reason
    example = (tmp_path / "tests/blocking_io/test_api_invoice.py").read_text(encoding="utf-8")
    assert 'invoice_id=todo("invoice_id: int for invoice(...)")' in example
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "SKIPPED [1] tests/blocking_io/test_api_invoice.py" in ran.stdout
    assert "TODO: invoice_id: int for invoice(...)" in ran.stdout


def test_sub_projects_give_one_source_root_each_and_anchors_import_from_them(tmp_path):
    write(
        tmp_path,
        {
            "libs/core/src/core/__init__.py": "",
            "libs/core/src/core/util.py": "async def healthy() -> bool:\n    return True\n",
            "libs/core/pyproject.toml": '[project]\nname = "core"\n',
            "services/api/api/__init__.py": "",
            "services/api/api/views.py": (
                "import os\n\nasync def index(request):\n    return os.listdir('.')\n"
            ),
            "services/api/tests/test_views.py": "",
        },
    )

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    got = table(tmp_path)
    assert got["source-roots"] == ["libs/core/src", "services/api"]
    assert got["scanned-modules"] == ["api", "core"]
    assert (tmp_path / "tests/blocking_io/test_util_healthy.py").is_file()
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
    scanned = cli("detect", cwd=tmp_path)
    assert scanned.returncode == 1
    assert "services/api/api/views.py:4" in scanned.stdout


def test_without_pyproject_one_is_created_with_only_the_table(tmp_path):
    write(tmp_path, {"service.py": "async def handle(path):\n    return path\n"})

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith("[tool.blocking-io]\n")
    assert table(tmp_path)["scanned-modules"] == ["service"]
    assert table(tmp_path)["include"] == ["service.py"]
    # handle(path) gets a tmp_path location: the example runs as-is
    example = (tmp_path / "tests/blocking_io/test_service_handle.py").read_text(encoding="utf-8")
    assert 'path = tmp_path / "path"' in example
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout


def test_no_async_function_gives_a_skipped_skeleton_with_the_reason(tmp_path):
    write(tmp_path, {"src/tools/__init__.py": "def helper():\n    return 1\n"})

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "test_example.py (a skeleton, skipped" in done.stdout
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "SKIPPED [1] tests/blocking_io/test_example.py" in ran.stdout
    assert "TODO: no async entry point found yet" in ran.stdout


def test_existing_anchors_and_gitignore_entries_are_kept(tmp_path):
    write(
        tmp_path,
        {
            "src/acme/__init__.py": "",
            "src/acme/api.py": API,
            "tests/blocking_io/test_mine.py": "def test_mine():\n    pass\n",
        },
    )
    (tmp_path / ".gitignore").write_text("*.pyc\n.blocking-io\n", encoding="utf-8")

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.pyc\n.blocking-io\n"
    assert sorted(p.name for p in (tmp_path / "tests/blocking_io").iterdir()) == [
        "README.md",
        "test_mine.py",
    ]
    assert "no example added" in done.stdout


def test_gitignore_without_a_final_newline_gets_its_own_line(tmp_path):
    write(tmp_path, {"src/acme/__init__.py": "", "src/acme/api.py": API})
    (tmp_path / ".gitignore").write_text("dist/", encoding="utf-8")

    assert cli("init", cwd=tmp_path).returncode == 0

    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "dist/" and lines[-1] == "/.blocking-io/"


def test_pytest_asyncio_projects_get_marked_async_tests(tmp_path):
    write(tmp_path, {"src/acme/__init__.py": "", "src/acme/api.py": API})
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "acme"\n\n[project.optional-dependencies]\n'
        'test = ["pytest", "pytest-asyncio>=0.23"]\n',
        encoding="utf-8",
    )

    done = cli("init", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "pytest-asyncio: pyproject.toml declares pytest-asyncio" in done.stdout
    example = (tmp_path / "tests/blocking_io/test_api_ping.py").read_text(encoding="utf-8")
    assert "@pytest.mark.asyncio\nasync def test_ping() -> None:" in example
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout


@pytest.mark.parametrize(
    ("files", "fragments"),
    [
        ({"README.md": "nothing here\n"}, ["no Python package or module found", "--package"]),
        (
            {"app/__init__.py": "", "pyproject.toml": "[project\nname = 1\n"},
            ["pyproject.toml", "invalid TOML"],
        ),
    ],
    ids=["no-code", "broken-pyproject"],
)
def test_bad_projects_are_one_line_and_exit_2_with_nothing_written(tmp_path, files, fragments):
    write(tmp_path, files)
    before = snapshot(tmp_path)

    done = cli("init", cwd=tmp_path)

    assert_one_error_line(done, *fragments)
    assert snapshot(tmp_path) == before


def test_given_packages_and_source_roots_replace_the_guess(tmp_path):
    write(tmp_path, {"lib/acme/__init__.py": "", "lib/acme/api.py": API, "other/__init__.py": ""})

    done = cli("init", "--package", "acme", "--source-root", "lib", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert table(tmp_path)["source-roots"] == ["lib"]
    assert table(tmp_path)["scanned-modules"] == ["acme"]
    missing = cli("init", "--force", "--source-root", "nowhere", cwd=tmp_path)
    assert_one_error_line(missing, "nowhere", "--source-root: not a directory")


def test_a_directory_argument_sets_up_that_project(tmp_path):
    project = tmp_path / "services" / "api"
    write(project, {"src/api/__init__.py": "", "src/api/app.py": API})

    done = cli("init", "services/api", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert (project / "pyproject.toml").is_file()
    assert (project / "tests/blocking_io/test_app_ping.py").is_file()
    assert not (tmp_path / "pyproject.toml").exists()
    not_there = cli("init", "nowhere", cwd=tmp_path)
    assert_one_error_line(not_there, "nowhere: not a directory")


SERVICE_CLASSES = {
    "src/shop/__init__.py": "",
    "src/shop/api.py": """
        import abc


        class Base(abc.ABC):
            @abc.abstractmethod
            def name(self) -> str: ...


        class Orders(Base):
            def __init__(self) -> None:
                self.ready = False

            def name(self) -> str:
                return "orders"

            async def count(self) -> int:
                return len(self.items)  # set elsewhere: the generated call would fail
    """,
}


def test_an_example_for_a_method_is_a_skeleton_skipped_until_checked(tmp_path):
    write(tmp_path, SERVICE_CLASSES)
    done = cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "runs as-is" not in done.stdout
    assert "a skeleton, skipped until its todo(...) values are filled in" in done.stdout
    (example,) = (tmp_path / "tests/blocking_io").glob("test_*.py")
    source = example.read_text(encoding="utf-8")
    assert 'todo("check how the service builds and calls Orders' in source

    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr  # skipped, not failed
    assert "1 skipped" in ran.stdout and "TODO: check how the service builds" in ran.stdout


def test_an_example_that_says_it_runs_as_is_does_run(tmp_path):
    write(
        tmp_path,
        {
            **SERVICE_CLASSES,
            "src/shop/health.py": """
                async def health() -> dict:
                    return {"ok": True}
            """,
        },
    )
    done = cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "an example anchor for shop.health.health (runs as-is" in done.stdout
    ran = run_pytest(tmp_path, "tests/blocking_io")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout
