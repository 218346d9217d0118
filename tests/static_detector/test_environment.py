"""The project's environment: found like ty/pyright/mypy find it, asked for its sys.path
without importing anything, named in the output; a broken one is one warning line."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from blocking_io.static_detector.environment import PROBE, candidates, find, poetry_env_name
from blocking_io.static_detector.probe_cache import ProbeCache
from blocking_io.static_detector.user_cache import DAY, prune
from detect_support import assert_clean_stderr, cli, detect, make_project, write

LIBRARY = {
    "slowlib/__init__.py": "from .store import Store\n",
    "slowlib/store.py": """
        class Store:
            def __init__(self, root):
                self.root = root

            def load(self, name):
                with open(self.root + name) as fh:
                    return fh.read()
    """,
}

APP = {
    "app/__init__.py": "",
    "app/api.py": """
        from slowlib import Store

        STORE = Store("/srv/")

        async def handler(name):
            return STORE.load(name)
    """,
}


def make_venv(where: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A real virtual environment (no pip: fast) with `files` in its site-packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    site = next(where.glob("lib/python3*/site-packages"))
    write(site, LIBRARY if files is None else files)
    return where


def test_the_discovery_order_is_flag_config_virtual_env_then_project_folders(tmp_path):
    root = tmp_path / "proj"
    found = candidates(
        root,
        python="/opt/py/bin/python",
        configured="envs/dev",
        environ={"VIRTUAL_ENV": "/active", "UV_PROJECT_ENVIRONMENT": ".uvenv"},
        project_name="My App",
        poetry_dir=tmp_path / "poetry",
        hatch_dir=tmp_path / "hatch",
    )
    assert [(c.how, c.explicit) for c in found] == [
        ("--python", True),
        ("[tool.blocking-io].python", True),
        ("VIRTUAL_ENV", True),
        (".venv", False),
        ("venv", False),
        ("uv", False),
        ("pdm", False),
        ("poetry", False),
        ("hatch", False),
    ]
    paths = [c.path for c in found]
    assert paths[1] == root / "envs/dev" and paths[5] == root / ".uvenv"
    assert paths[6] == root / ".pdm-python"
    assert paths[7].parent == tmp_path / "poetry"
    assert paths[7].name.startswith("my_app-") and paths[7].name.endswith("-py*")
    assert paths[8].parts[-3] == "My App" and paths[8].parent.parent.parent == tmp_path / "hatch"
    # nothing given: the project's own folders first
    bare = candidates(root, environ={})
    assert [c.how for c in bare] == [".venv", "venv", "pdm"]


def test_a_venv_at_the_project_root_is_used_and_named(tmp_path):
    root = make_project(tmp_path / "proj", APP, config='include = ["app"]')
    make_venv(root / ".venv")
    done = detect(root, "--format", "json", "--exit-zero", env={"VIRTUAL_ENV": ""})
    assert_clean_stderr(done)
    report = json.loads(done.stdout)
    env = report["stats"]["environment"]
    assert env["source"] == ".venv"
    assert env["python"] == str(root / ".venv" / "bin" / "python")
    [finding] = report["findings"]
    assert [s["function"] for s in finding["chain"]] == [
        "app.api.handler",
        "slowlib.store.Store.load",
        "builtins.open",
    ]
    summary = detect(root, "--format", "summary", "--exit-zero", env={"VIRTUAL_ENV": ""})
    assert f"environment: .venv, Python {env['version']}" in summary.stdout
    assert f"  interpreter: {env['python']}" in summary.stdout.splitlines()


def test_poetry_envs_are_found_by_its_naming_scheme(tmp_path):
    root = tmp_path / "proj"
    root.mkdir()
    store = tmp_path / "virtualenvs"
    name = poetry_env_name("Acme", root)
    make_venv(store / f"{name}-py3.11")
    (root / "pyproject.toml").write_text('[tool.poetry]\nname = "Acme"\n')
    env = find(root, environ={"POETRY_VIRTUALENVS_PATH": str(store)}, project_name="Acme")
    assert env.how == "poetry"
    assert env.interpreter == str(store / f"{name}-py3.11" / "bin" / "python")
    assert any(p.endswith("site-packages") for p in env.search_path)


def test_a_missing_python_is_one_warning_and_the_scan_goes_on(tmp_path):
    root = make_project(tmp_path / "proj", APP, config='include = ["app"]')
    missing = tmp_path / "nowhere" / "python"
    done = detect(root, "--python", missing, "--format", "json", "--exit-zero")
    assert_clean_stderr(done)
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        f"blocking-io: warning: --python {missing}: no such file or directory; "
        "installed libraries are not followed"
    ]
    report = json.loads(done.stdout)
    assert report["stats"]["environment"]["python"] is None
    assert report["stats"]["files"] == 2


def test_a_venv_whose_interpreter_is_gone_is_one_warning(tmp_path):
    root = make_project(tmp_path / "proj", APP, config='include = ["app"]\npython = "env"')
    venv = make_venv(root / "env")
    for exe in (venv / "bin").glob("python*"):
        exe.unlink()
    done = detect(root, "--format", "concise", "--exit-zero")
    assert_clean_stderr(done)
    assert done.returncode == 0
    [line] = done.stderr.splitlines()
    assert line.startswith(f"blocking-io: warning: [tool.blocking-io].python {venv}: ")
    assert "without an interpreter" in line


def test_a_broken_auto_found_venv_is_skipped_with_a_warning(tmp_path):
    root = tmp_path / "proj"
    venv = make_venv(root / ".venv")
    (venv / "bin" / "python").unlink()
    (venv / "bin" / "python3").unlink()
    env = find(root, environ={})
    assert env.how == "running interpreter"
    [(where, why)] = env.warnings
    assert where == f".venv {venv}" and why.endswith("looking further")


@pytest.mark.parametrize(
    "bad",
    [b"def broken(:\n    pass\n", b"# caf\xe9\nx = 1\n"],
    ids=["syntax-error", "undecodable"],
)
def test_an_unreadable_library_file_is_one_warning_naming_it(tmp_path, bad):
    files: dict[str, str | bytes] = {
        **LIBRARY,
        "slowlib/__init__.py": "from .store import Store\nfrom .broken import helper\n",
        "slowlib/broken.py": bad,
    }
    app = {
        **APP,
        "app/other.py": "from slowlib import helper\n\nasync def other():\n    return helper()\n",
    }
    root = make_project(tmp_path / "proj", app, config='include = ["app"]')
    venv = make_venv(tmp_path / "venv", files)
    done = detect(root, "--python", venv, "--format", "json", "--exit-zero")
    assert_clean_stderr(done)
    assert done.returncode == 0  # the library is not the project: no error exit
    [line] = done.stderr.splitlines()
    assert line.startswith("blocking-io: warning: site-packages/slowlib/broken.py")
    assert line.endswith("calls into this library module are not followed")
    report = json.loads(done.stdout)
    assert [f["function"] for f in report["findings"]] == ["app.api.handler"]
    assert report["errors"] == []


def test_the_interpreter_is_asked_isolated_and_imports_nothing_of_the_project(
    tmp_path, monkeypatch
):
    # a module the probe itself imports (json), in the project folder and on PYTHONPATH:
    # an interpreter that is not isolated would import it
    marker = tmp_path / "imported"
    trap = f"open({str(marker)!r}, 'w').close()\n"
    root = make_project(tmp_path / "proj", {**APP, "json.py": trap}, config='include = ["app"]')
    write(tmp_path / "trap", {"json.py": trap})
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "trap"))
    monkeypatch.chdir(root)
    venv = make_venv(root / ".venv")
    env = find(root, environ={})
    assert env.how == ".venv" and env.interpreter is not None
    assert not marker.exists()
    assert str(tmp_path / "trap") not in env.search_path and str(root) not in env.search_path
    assert any(Path(p).is_relative_to(venv) for p in env.search_path)


@pytest.mark.skipif(not shutil.which("true"), reason="needs a program that is not Python")
def test_an_interpreter_that_is_not_python_is_one_warning(tmp_path):
    env = find(tmp_path, python=shutil.which("true"), environ={})
    assert env.interpreter is None
    [(where, why)] = env.warnings
    assert where.startswith("--python") and "did not answer like a Python interpreter" in why
    assert os.path.basename(where.split()[-1]) == "true"


DEEP_LIBRARY = {
    "deeplib-2.4.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: deeplib\nVersion: 2.4.1\n",
    "deeplib-2.4.1.dist-info/RECORD": "deeplib/__init__.py,,\ndeeplib/client.py,,\n",
    "deeplib/__init__.py": "from .client import Client\n",
    "deeplib/client.py": """
        class Client:
            def __init__(self, where):
                self.where = where

            def fetch(self, name):
                return self._resolve(name)

            def _resolve(self, name):
                return self._read(self.where + name)

            def _read(self, path):
                return _load(path)


        def _load(path):
            with open(path) as fh:
                return fh.read()
    """,
}

DEEP_APP = {
    "app/__init__.py": "",
    "app/api.py": """
        from deeplib import Client

        async def handler(name):
            return Client("/srv/").fetch(name)
    """,
}


def test_a_chain_into_a_library_is_summarised_in_text_and_whole_in_json(tmp_path):
    root = make_project(tmp_path / "proj", DEEP_APP, config='include = ["app"]')
    venv = make_venv(tmp_path / "venv", DEEP_LIBRARY)
    done = detect(root, "--python", venv, "--exit-zero", "--no-cache")
    assert_clean_stderr(done)
    lines = [line.strip() for line in done.stdout.splitlines()]
    start = lines.index("via app.api.handler (app/api.py:4)")
    assert lines[start + 1].startswith("via deeplib.client.Client.fetch (site-packages/deeplib/")
    assert lines[start + 2] == "... 3 calls inside deeplib 2.4.1 ..."
    assert lines[start + 3].startswith("-> builtins.open (site-packages/deeplib/client.py:")
    report = json.loads(detect(root, "--python", venv, "--format", "json", "--exit-zero").stdout)
    [finding] = report["findings"]
    assert [s["function"] for s in finding["chain"]] == [
        "app.api.handler",
        "deeplib.client.Client.fetch",
        "deeplib.client.Client._resolve",
        "deeplib.client.Client._read",
        "deeplib.client._load",
        "builtins.open",
    ]
    assert report["libraries"] == {
        "site-packages/deeplib/client.py": {"name": "deeplib", "version": "2.4.1"}
    }


def test_library_summaries_are_shared_by_projects_and_renewed_on_upgrade(tmp_path):
    venv = make_venv(tmp_path / "venv", DEEP_LIBRARY)
    user_cache = {"BLOCKING_IO_CACHE_DIR": str(tmp_path / "user-cache")}

    def environment(name: str) -> dict:
        root = make_project(tmp_path / name, DEEP_APP, config='include = ["app"]')
        done = detect(root, "--python", venv, "--format", "json", env=user_cache)
        assert_clean_stderr(done)
        report = json.loads(done.stdout)
        assert [f["function"] for f in report["findings"]] == ["app.api.handler"]
        return report["stats"]["environment"]

    first = environment("first")
    assert first["libraries_summarized"] == 2 and first["libraries_cached"] == 0
    second = environment("second")  # another project, same library: nothing summarised
    assert second["libraries_summarized"] == 0 and second["libraries_cached"] == 2
    site = next(venv.glob("lib/python3*/site-packages"))
    info = site / "deeplib-2.4.1.dist-info"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: deeplib\nVersion: 2.5.0\n")
    info.rename(site / "deeplib-2.5.0.dist-info")
    upgraded = environment("third")
    assert upgraded["libraries_summarized"] == 2 and upgraded["libraries_cached"] == 0


def test_virtual_env_wins_unless_it_is_the_pre_commit_hook_environment(tmp_path):
    root = make_project(tmp_path / "proj", APP, config='include = ["app"]')
    make_venv(root / ".venv")
    active = make_venv(tmp_path / "active")

    def source(env: dict[str, str]) -> str:
        done = detect(root, "--format", "json", "--exit-zero", "--no-cache", env=env)
        assert_clean_stderr(done)
        report = json.loads(done.stdout)
        assert [f["function"] for f in report["findings"]] == ["app.api.handler"]
        return report["stats"]["environment"]["source"]

    assert source({"VIRTUAL_ENV": str(active)}) == "VIRTUAL_ENV"
    # pre-commit runs the hook with VIRTUAL_ENV set to the hook's own environment (the one
    # blocking-io runs in), which holds none of the project's libraries
    assert source({"VIRTUAL_ENV": sys.prefix, "PRE_COMMIT": "1"}) == ".venv"


def test_a_huge_library_file_is_one_warning_and_fixing_a_library_renews_the_result(tmp_path):
    huge = "TABLE = [\n" + "    1,\n" * 1_500_000 + "]\n"  # 10 MB: a generated table
    files: dict[str, str | bytes] = {
        **LIBRARY,
        "slowlib/__init__.py": "from .store import Store\nfrom .table import lookup\n",
        "slowlib/table.py": huge + "def lookup(key):\n    return open(key).read()\n",
    }
    app = {
        **APP,
        "app/other.py": "from slowlib import lookup\n\nasync def other(k):\n    return lookup(k)\n",
    }
    root = make_project(tmp_path / "proj", app, config='include = ["app"]')
    venv = make_venv(tmp_path / "venv", files)
    done = detect(root, "--python", venv, "--format", "json", "--exit-zero")
    assert_clean_stderr(done)
    [line] = done.stderr.splitlines()
    assert line == (
        "blocking-io: warning: site-packages/slowlib/table.py: 10 MB, over the 8 MB limit; "
        "calls into this library module are not followed"
    )
    assert [f["function"] for f in json.loads(done.stdout)["findings"]] == ["app.api.handler"]
    # the library gets smaller: the cached result of the project is not reused
    site = next(venv.glob("lib/python3*/site-packages"))
    (site / "slowlib" / "table.py").write_text("def lookup(key):\n    return open(key).read()\n")
    again = detect(root, "--python", venv, "--format", "json", "--exit-zero")
    assert_clean_stderr(again)
    assert again.stderr == ""
    found = sorted(f["function"] for f in json.loads(again.stdout)["findings"])
    assert found == ["app.api.handler", "app.other.other"]


SHAPES_LIBRARY = {
    "shapelib/__init__.py": "from .core import Client, Registry, make_client\n",
    "shapelib/core.py": """
        import socket


        class Config:
            def __init__(self, path):
                self.path = path

            @property
            def data(self):
                with open(self.path) as fh:
                    return fh.read()


        class Session:
            def send(self, payload):
                socket.create_connection(("db", 5432)).sendall(payload)


        class Client:
            session_cls = Session

            def __init__(self, path):
                self.config = Config(path)
                self.session = self.session_cls()

            def settings(self):
                return self.config.data

            def post(self, payload):
                return self.session.send(payload)


        class Registry:
            default = Client("/etc/app.conf")


        def make_client(path):
            return Client(path)
    """,
}

SHAPES_APP = {
    "app/__init__.py": "",
    "app/api.py": """
        import shapelib
        from shapelib import Client, Registry, make_client


        async def prop(path):
            return Client(path).config.data


        async def method(path):
            return Client(path).settings()


        async def class_attribute(payload):
            return Registry.default.post(payload)


        async def factory(path):
            client = make_client(path)
            return client.settings()


        async def constructor(path):
            return shapelib.Client(path)  # no IO in the constructor
    """,
}


def test_library_code_is_resolved_like_project_code(tmp_path):
    """Properties, constructors, class attributes, attribute chains and factories inside a
    library: the `venv` folder at the project root is found and followed."""
    root = make_project(tmp_path / "proj", SHAPES_APP, config='include = ["app"]')
    make_venv(root / "venv", SHAPES_LIBRARY)
    done = detect(root, "--format", "json", "--exit-zero", env={"VIRTUAL_ENV": ""})
    assert_clean_stderr(done)
    report = json.loads(done.stdout)
    assert report["stats"]["environment"]["source"] == "venv"
    found = {(f["function"].rpartition(".")[2], f["rule"]) for f in report["findings"]}
    assert found == {
        ("prop", "BIO101"),  # open()
        ("method", "BIO101"),
        ("class_attribute", "BIO401"),  # socket
        ("factory", "BIO101"),
    }


def test_the_interpreters_answer_is_reused_until_its_environment_changes(tmp_path):
    venv = make_venv(tmp_path / "venv")
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "bin" / "python"  # the venv's interpreter, counting its runs
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{venv}/bin/python" "$@"\n')
    wrapper.chmod(0o755)
    cache = ProbeCache(tmp_path / "user-cache", PROBE)
    root = tmp_path / "proj"

    def runs() -> int:
        return len(log.read_text().splitlines()) if log.exists() else 0

    first = find(root, python=str(wrapper), environ={}, cache=cache)
    second = find(root, python=str(wrapper), environ={}, cache=cache)
    assert runs() == 1  # the second scan asked nobody
    assert second.search_path == first.search_path and second.version == first.version
    # an editable install adds a .pth file: site-packages changed, the interpreter is asked
    # again and the new folder is on the search path
    site = next(venv.glob("lib/python3*/site-packages"))
    (tmp_path / "src").mkdir()
    (site / "editable.pth").write_text(f"{tmp_path / 'src'}\n")
    third = find(root, python=str(wrapper), environ={}, cache=cache)
    assert runs() == 2
    assert str(tmp_path / "src") in third.search_path
    # no cache: asked every time
    find(root, python=str(wrapper), environ={})
    assert runs() == 3


def _wheel(where: Path, name: str, version: str, files: dict[str, str]) -> Path:
    """A wheel built by hand (what a build backend writes), for pip to install offline."""
    info = f"{name}-{version}.dist-info"
    contents = {rel: textwrap.dedent(text).lstrip("\n") for rel, text in files.items()}
    contents[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    contents[f"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\n"
    contents[f"{info}/top_level.txt"] = f"{name}\n"
    record = []
    for rel, text in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{rel},sha256={digest.decode()},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    contents[f"{info}/RECORD"] = "\n".join(record) + "\n"
    path = where / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for rel, text in contents.items():
            wheel.writestr(rel, text)
    return path


def test_a_package_installed_after_a_scan_is_seen_by_the_next_run(tmp_path):
    """The first run is stored for replay and in the result cache; installing (with pip)
    the package the project imports must send the next run through a scan that follows it."""
    venv = make_venv(tmp_path / "venv", {})
    root = make_project(tmp_path / "proj", APP, config='include = ["app"]')
    args = ("--python", venv, "--format", "json", "--min-impact", "script")
    before = detect(root, *args)
    assert_clean_stderr(before)
    assert json.loads(before.stdout)["findings"] == []
    again = detect(root, *args)  # replayed: same answer
    assert json.loads(again.stdout)["findings"] == []
    wheel = _wheel(tmp_path, "slowlib", "1.0", LIBRARY)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "-q", "--no-index", "--disable-pip-version-check", str(wheel)],
        check=True,
    )  # fmt: skip
    after = detect(root, *args)
    assert_clean_stderr(after)
    report = json.loads(after.stdout)
    assert [(f["function"], f["rule"]) for f in report["findings"]] == [
        ("app.api.handler", "BIO101")
    ]
    assert report["libraries"]["site-packages/slowlib/store.py"] == {
        "name": "slowlib",
        "version": "1.0",
    }


def test_the_user_cache_is_pruned_of_what_no_scan_used_for_a_month(tmp_path):
    venv = make_venv(tmp_path / "venv", DEEP_LIBRARY)
    user_cache = tmp_path / "user-cache"

    def scan(name: str) -> dict:
        root = make_project(tmp_path / name, DEEP_APP, config='include = ["app"]')
        env = {"BLOCKING_IO_CACHE_DIR": str(user_cache)}
        done = detect(root, "--python", venv, "--format", "json", env=env)
        assert_clean_stderr(done)
        return json.loads(done.stdout)["stats"]["environment"]

    def entries() -> list[Path]:
        return sorted((user_cache / "libraries").rglob("*.pickle"))

    def age(paths: list[Path], days: float) -> None:
        when = time.time() - days * DAY
        for path in paths:
            os.utime(path, (when, when))

    assert scan("first")["libraries_summarized"] == 2
    summaries = entries()
    assert len(summaries) == 2
    age(summaries, 40)
    assert scan("second")["libraries_cached"] == 2  # read: made recent again
    assert prune(user_cache, force=True) == 0
    assert entries() == summaries
    # a month unused (an upgraded library's old version): removed, and the next scan
    # summarises the library again
    age(entries(), 40)
    assert prune(user_cache) == 0  # pruned within the last day: not again yet
    assert prune(user_cache, force=True) == 2
    assert entries() == []
    assert scan("third")["libraries_summarized"] == 2
    # over the size bound: the least recently used go first
    older, newer = entries()
    age([older], 2)
    age([newer], 1)
    answers = list((user_cache / "interpreters").glob("*.json"))  # the venv's, used just now
    bound = newer.stat().st_size + sum(p.stat().st_size for p in answers)
    assert prune(user_cache, force=True, max_bytes=bound) == 1
    assert entries() == [newer] and all(p.exists() for p in answers)


def test_sarif_and_html_show_the_library_frames_of_a_chain(tmp_path):
    root = make_project(tmp_path / "proj", DEEP_APP, config='include = ["app"]')
    venv = make_venv(tmp_path / "venv", DEEP_LIBRARY)
    done = detect(root, "--python", venv, "--format", "sarif", "--exit-zero")
    assert_clean_stderr(done)
    run = json.loads(done.stdout)["runs"][0]
    [result] = run["results"]
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    where = [
        (
            step["location"]["physicalLocation"]["artifactLocation"]["uriBaseId"],
            step["location"]["physicalLocation"]["artifactLocation"]["uri"],
            step["location"].get("properties", {}).get("library"),
        )
        for step in flow
    ]
    inside = {"name": "deeplib", "version": "2.4.1"}
    library_file = "site-packages/deeplib/client.py"
    # the project's step in the repository, then every library step and the primitive
    assert where[0] == ("%SRCROOT%", "app/api.py", None)
    assert where[1:] == [("LIBRARIES", library_file, inside)] * 5
    assert flow[1]["location"]["message"]["text"] == (
        "deeplib.client.Client.fetch calls deeplib.client.Client._resolve (inside deeplib 2.4.1)"
    )
    assert "LIBRARIES" in run["originalUriBaseIds"]
    related = result["relatedLocations"]
    assert [r["message"]["text"] for r in related] == [
        "deeplib.client.Client.fetch, inside deeplib 2.4.1",
        "deeplib.client.Client._resolve, inside deeplib 2.4.1",
        "deeplib.client.Client._read, inside deeplib 2.4.1",
        "deeplib.client._load, inside deeplib 2.4.1",
        "builtins.open, inside deeplib 2.4.1",
    ]
    assert {r["physicalLocation"]["artifactLocation"]["uri"] for r in related} == {library_file}
    # the HTML gap report (findings.json of that scan, no anchors yet) names them too
    anchors = root / "anchors.json"
    empty = {"schema": "blocking-io/anchors/2", "scanned_modules": ["app"]}
    empty |= {"anchors": [], "violations": [], "incomplete": []}
    anchors.write_text(json.dumps(empty))
    html = cli("gaps", "--anchors", anchors, "--format", "html", cwd=root)
    assert html.returncode == 0, html.stderr
    chain = html.stdout[html.stdout.index('<ol class="chain">') :]
    chain = chain[: chain.index("</ol>")]
    steps = chain.split("<li>")[1:]
    assert len(steps) == 6 and "inside" not in steps[0]
    assert all('<span class="lib">inside deeplib 2.4.1</span>' in step for step in steps[1:])
