"""The knowledge base as a user meets it: a project calling a library that the environment
running `blocking-io detect` does not have, scanned by the real command. The shipped
summary (shared_rules/data/kb/) stands in for the missing source; once the library is
installed (here: a package of that name on PYTHONPATH), its real source is followed and the
knowledge base is not used."""

from __future__ import annotations

import importlib.util

import pytest
from detect_support import assert_clean_stderr, detect, make_project, report_of

SERVICE = """
import asyncio

import docker
import pytz


async def running():
    return docker.from_env().containers.list()


async def offloaded():
    return await asyncio.to_thread(lambda: docker.from_env().containers.list())


async def offloaded_by_name():
    client = await asyncio.to_thread(docker.from_env)
    return client


def plain(name):
    return pytz.timezone(name)


async def zone(name):
    return pytz.timezone(name)
"""

FILES = {"app/__init__.py": "", "app/service.py": SERVICE}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("docker") is not None or importlib.util.find_spec("pytz") is not None,
    reason="docker or pytz is installed here: the knowledge base would not be consulted",
)


def test_a_library_that_is_not_installed_is_judged_by_the_knowledge_base(tmp_path):
    make_project(tmp_path, FILES)
    done = detect(tmp_path)
    assert_clean_stderr(done)
    assert done.returncode == 1, done.stdout + done.stderr
    findings = {f.function: f for f in report_of(tmp_path).findings}
    # only the calls on the loop: the offloaded ones and the sync function are not findings
    assert set(findings) == {"app.service.running", "app.service.zone"}
    docker_finding = findings["app.service.running"]
    assert docker_finding.line == 8
    assert "from the knowledge base for docker 7.1.0" in docker_finding.message
    assert "inside `docker.from_env`" in docker_finding.message
    # the primitive the summary recorded: `from_env` reads the Docker config file
    assert "load_general_config -> builtins.open" in docker_finding.message
    zone = findings["app.service.zone"]
    assert zone.rule == "BIO101"
    assert "from the knowledge base for pytz 2025.2" in zone.message
    assert "lazy initialisation" in zone.message  # pytz caches the zones it loaded


def test_an_installed_library_is_followed_and_the_knowledge_base_is_not_used(tmp_path):
    project = make_project(tmp_path / "project", FILES)
    site = tmp_path / "site"
    (site / "docker").mkdir(parents=True)
    # this `docker` sleeps where the real one reads a file: the finding shows which was used
    (site / "docker" / "__init__.py").write_text(
        "import time\n\n\ndef from_env():\n    time.sleep(1)\n    return None\n",
        encoding="utf-8",
    )
    done = detect(project, env={"PYTHONPATH": str(site)})
    assert_clean_stderr(done)
    findings = {f.function: f for f in report_of(project).findings}
    assert findings["app.service.running"].rule == "BIO301"
    assert "knowledge base" not in findings["app.service.running"].message
    # pytz is still missing: its summary is still used
    assert "knowledge base for pytz" in findings["app.service.zone"].message
