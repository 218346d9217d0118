"""The shipped knowledge base (shared_rules/data/kb/): every pinned library has a current
data file, a corrupt one is left out with a one-line problem, lookups by public name land on
the defining one, and the builder's output is a pure function of the archive it reads."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from blocking_io.shared_rules import builtin_registry, tomlio
from blocking_io.shared_rules.registry import DATA, _data_files, _validate
from blocking_io.static_detector import kb_build

REPO = Path(__file__).resolve().parents[2]


def test_every_pinned_library_has_a_current_data_file():
    registry = builtin_registry()
    pinned = tomlio.load(DATA / "kb" / "libraries.toml")["library"]
    loaded = {lib.distribution: lib.version for lib in registry.kb.libraries}
    assert loaded == {lib["distribution"]: lib["version"] for lib in pinned}
    assert registry.kb.problems == ()


def test_lookups_by_public_name_reach_the_recorded_primitive():
    kb = builtin_registry().kb
    (hit, *_) = kb.lookup("docker.from_env")  # an alias of DockerClient.from_env
    assert hit.library == "docker 7.1.0"
    assert hit.chain[0] == "docker.client.DockerClient.from_env"
    rules = {h.rule for h in kb.lookup("git.Repo.clone_from")}
    assert "BIO201" in rules  # GitPython runs the git binary
    assert kb.lookup("docker.version") == ()  # a module attribute that blocks nowhere
    assert kb.lookup("requests.get") == ()  # not a library of the knowledge base


def test_a_corrupt_data_file_is_left_out_with_a_one_line_problem():
    raw = {name: DATA.joinpath(*name.split("/")).read_bytes() for name in _data_files()}
    raw["kb/docker.json"] = b'{"schema": "blocking-io/kb/1", "apis": [1, 2'
    registry = _validate(raw)
    (problem,) = registry.kb.problems
    assert "\n" not in problem
    assert "kb/docker.json" in problem and "docker 7.1.0 is not used" in problem
    assert registry.kb.lookup("docker.from_env") == ()
    assert registry.kb.lookup("git.Repo.clone_from") != ()  # the others still load


def _sdist(path: Path, files: dict[str, str]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(f"fakedb-1.0/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


FAKEDB = {
    "fakedb/__init__.py": "from .client import Client, connect\n",
    "fakedb/client.py": (
        "import socket\n\n\n"
        "def _dial(host):\n    return socket.create_connection((host, 5432))\n\n\n"
        "class Client:\n"
        "    def __init__(self, host):\n        self.host = host\n\n"
        "    def query(self, sql):\n        return _dial(self.host).recv(4096)\n\n"
        "    def name(self):\n        return self.host\n\n\n"
        "def connect(host):\n    client = Client(host)\n    client.query('select 1')\n"
        "    return client\n\n\n"
        "def zone(name):\n    import pytz\n\n    return pytz.timezone(name)\n"
    ),
    "tests/test_client.py": "import time\n\n\ndef test_slow():\n    time.sleep(1)\n",
}


def test_the_builder_writes_the_same_bytes_for_the_same_archive(tmp_path):
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "libraries.toml").write_text(
        '[[library]]\ndistribution = "fakedb"\nversion = "1.0"\nmodules = ["fakedb"]\n'
        'why = "a test"\n',
        encoding="utf-8",
    )
    archive = _sdist(tmp_path / "fakedb-1.0.tar.gz", FAKEDB)
    argv = ["--kb-dir", str(kb_dir), "--archive", f"fakedb={archive}"]
    assert kb_build.main(argv) == 0
    first = (kb_dir / "fakedb.json").read_bytes()
    assert kb_build.main(argv) == 0
    assert (kb_dir / "fakedb.json").read_bytes() == first
    data = json.loads(first)
    assert data["aliases"]["fakedb.connect"] == "fakedb.client.connect"
    apis = data["apis"]
    rule, once, chain = apis["fakedb.client.Client.query"][0]
    assert (rule, once) == ("BIO401", False)
    assert chain[0] == "fakedb.client.Client.query" and chain[-1].startswith("socket.")
    assert apis["fakedb.client.connect"][0][0] == "BIO401"  # through the constructed client
    assert "fakedb.client.Client.name" not in apis  # blocks nowhere
    # pytz is in the shipped knowledge base, but a summary stops at other libraries: each
    # is a function of its own archive, whatever order they are regenerated in
    assert "fakedb.client.zone" not in apis
    assert not any(api.startswith("tests") for api in apis)  # the sdist's tests: left out


def test_the_wheel_ships_the_knowledge_base():
    pyproject = tomlio.load(REPO / "pyproject.toml")
    patterns = pyproject["tool"]["setuptools"]["package-data"]["blocking_io.shared_rules"]
    assert {"data/kb/*.toml", "data/kb/*.json"} <= set(patterns)
