"""Installing blocking-io as the README, docs/quick-start.md and docs/ci.md say (issue 20,
item 1): `make dist` builds an sdist and a wheel (PEP 517) that `twine check` passes; the
wheel installs and runs outside the checkout; `pip install '<checkout>[gate]'` gives the
command and the pytest plugin, the plain package a lint-only install without pytest."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from adoption_support import BIN, REPO, clean_env, write

IGNORED = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", ".blocking-io", "__pycache__",
    ".hypothesis", "bench",
)  # fmt: skip
PROJECT = {
    "pyproject.toml": '[tool.blocking-io]\nsource-roots = ["src"]\nscanned-modules = ["svc"]\n',
    "src/svc/__init__.py": "",
    "src/svc/api.py": "import time\n\n\nasync def nap():\n    time.sleep(1)\n",
}


def checkout(tmp_path: Path) -> Path:
    """A copy of the working tree: builds must not write into the repository under test."""
    target = tmp_path / "blocking-io"
    shutil.copytree(REPO, target, ignore=IGNORED)
    return target


def run(*args, cwd: Path, env=None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False,
        timeout=timeout, env=env or clean_env(),
    )  # fmt: skip


def make_dist_recipe() -> list[str]:
    makefile = (REPO / "Makefile").read_text("utf-8")
    recipe = makefile.split("\ndist: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in recipe.splitlines() if line.startswith("\t")]


def test_make_dist_builds_an_sdist_and_a_wheel_that_twine_check_passes(tmp_path):
    recipe = make_dist_recipe()
    assert any("-m build" in line and "--sdist" in line and "--wheel" in line for line in recipe)
    assert any("twine check --strict dist/*" in line for line in recipe)
    extras = (REPO / "pyproject.toml").read_text("utf-8")
    assert re.search(r'(?m)^dist = \[\n    "build>=[\d.]+",\n    "twine>=[\d.]+",\n\]', extras)
    constraints = (REPO / "requirements/constraints.txt").read_text("utf-8")
    assert re.search(r"(?m)^twine==[\d.]+$", constraints)

    source = checkout(tmp_path)
    out = tmp_path / "dist"
    # what `make dist` runs, without the isolated build environment (no network here)
    built = run(
        sys.executable, "-m", "build", "--sdist", "--wheel", "--no-isolation", "--outdir", out,
        source, cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["blocking_io-0.1.0-py3-none-any.whl", "blocking_io-0.1.0.tar.gz"]
    checked = run(BIN / "twine", "check", "--strict", *sorted(out.iterdir()), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2

    # the wheel, installed into a fresh virtualenv (its dependencies borrowed from this
    # one, which has no network to fetch them), runs from its own site-packages
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    ).stdout.strip()
    installed = run(
        sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", purelib,
        out / names[0], cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    # dependencies: this venv's site-packages, after the wheel's (a .pth line only adds a
    # path: the editable install's import hook in there is not run)
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    project = write(tmp_path / "svc", PROJECT)
    where = run(python, "-c", "import blocking_io; print(blocking_io.__file__)", cwd=project)
    assert where.stdout.startswith(purelib), where.stdout + where.stderr
    version = run(python, "-m", "blocking_io", "--version", cwd=project)
    assert version.stdout == "blocking-io 0.1.0\n", version.stderr
    detect = run(python, "-m", "blocking_io", "detect", "-f", "concise", cwd=project)
    assert detect.returncode == 1, detect.stderr
    assert "src/svc/api.py:5:5: BIO301" in detect.stdout


@pytest.mark.slow  # pip fetches the dependencies from the package index
def test_the_documented_pip_installs_work_in_a_fresh_virtualenv(tmp_path):
    source = checkout(tmp_path)
    project = write(tmp_path / "svc", PROJECT)
    write(
        project,
        {
            "tests/blocking_io/test_nap.py": (
                "import asyncio\n\nfrom svc.api import nap\n\n\n"
                "def test_nap():\n    asyncio.run(nap())\n"
            )
        },
    )
    constraints = REPO / "requirements" / "constraints.txt"

    # the README's first line: the static detector and the runtime gate
    full = tmp_path / "full"
    venv.EnvBuilder(with_pip=True).create(full)
    done = run(
        full / "bin/pip", "install", "--quiet", "-c", constraints, f"{source}[gate]", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    detect = run(full / "bin/blocking-io", "detect", "-f", "concise", cwd=project)
    assert detect.returncode == 1 and "BIO301" in detect.stdout, detect.stderr
    gate = run(full / "bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "--blocking-io-report", cwd=project)  # fmt: skip
    assert gate.returncode == 1, gate.stdout  # the gate caught time.sleep on the loop
    assert "BIO301" in gate.stdout and (project / ".blocking-io/anchors.json").is_file()

    # the lint-only install: the plain package, no pytest, no Blockbuster
    lint = tmp_path / "lint"
    venv.EnvBuilder(with_pip=True).create(lint)
    done = run(lint / "bin/pip", "install", "--quiet", "-c", constraints, source, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    detect = run(lint / "bin/blocking-io", "detect", "-f", "concise", "--no-report", cwd=project)
    assert detect.returncode == 1 and "BIO301" in detect.stdout, detect.stderr
    missing = run(lint / "bin/python", "-c", "import pytest", cwd=project)
    assert missing.returncode != 0

    # uv, where it is installed: the command in its own environment
    uv = shutil.which("uv")
    if uv is not None:
        env = clean_env(
            UV_TOOL_DIR=str(tmp_path / "uv-tools"), UV_TOOL_BIN_DIR=str(tmp_path / "uv-bin")
        )
        done = run(uv, "tool", "install", source, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        version = run(tmp_path / "uv-bin" / "blocking-io", "--version", cwd=project)
        assert version.stdout == "blocking-io 0.1.0\n"


def test_the_docs_give_install_commands_that_work_today_and_the_pypi_one_for_later():
    for page in ("README.md", "docs/quick-start.md", "docs/ci.md"):
        text = (REPO / page).read_text("utf-8")
        assert (
            "not published on PyPI yet" in text
            or "not on PyPI yet" in text
            or ("Once it is published" in text)
        ), page
        commands = re.findall(r"pip install [^\n`#]+", text)
        assert commands, page
        # every bare `pip install blocking-io` is the one for later, said so
        for match in re.finditer(r"pip install '?blocking-io(\[gate\])?'?", text):
            around = text[max(0, match.start() - 200) : match.end() + 80].lower()
            assert "published" in around, (page, match.group())
    readme = (REPO / "README.md").read_text("utf-8")
    assert "pip install '/path/to/blocking-io[gate]'" in readme
    assert "uv tool install /path/to/blocking-io" in readme
    assert "make dist" in readme
