"""The built-in rule registry: complete, valid, honest about the runtime side."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from blockbuster import BlockBuster
from blocking_io.shared_rules import builtin_registry

from blocking_io.cli.commands.rules import rules_markdown

REPO = Path(__file__).resolve().parents[2]

# At least these primitives must be covered (issue: foundation), by family.
REQUIRED = {
    "files": [
        "builtins.open", "io.open", "pathlib.Path.read_text", "pathlib.Path.write_bytes",
        "pathlib.Path.open", "pathlib.Path.exists", "pathlib.Path.is_file", "pathlib.Path.is_dir",
        "pathlib.Path.stat", "pathlib.Path.lstat", "pathlib.Path.resolve", "pathlib.Path.absolute",
        "pathlib.Path.mkdir", "pathlib.Path.touch", "pathlib.Path.unlink", "pathlib.Path.rmdir",
        "pathlib.Path.rename", "pathlib.Path.replace", "pathlib.Path.iterdir", "pathlib.Path.glob",
        "pathlib.Path.rglob", "pathlib.Path.walk", "pathlib.Path.samefile", "pathlib.Path.readlink",
        "pathlib.Path.symlink_to", "pathlib.Path.hardlink_to", "pathlib.Path.chmod",
        "io.IOBase.read", "io.IOBase.readline", "io.IOBase.readlines", "io.IOBase.write",
        "io.IOBase.__iter__", "os.stat", "os.lstat", "os.fstat", "os.listdir", "os.scandir",
        "os.walk", "os.makedirs", "os.mkdir", "os.remove", "os.unlink", "os.rename", "os.replace",
        "os.rmdir", "os.chmod", "os.utime", "os.fsync", "os.open", "os.read", "os.write",
        "os.link", "os.symlink", "os.readlink", "os.access", "os.statvfs", "os.getcwd",
        "os.fdopen", "os.system", "os.path.exists", "os.path.isfile", "os.path.isdir",
        "os.path.islink", "os.path.getsize", "os.path.getmtime", "os.path.abspath",
        "os.path.realpath", "os.path.samefile", "shutil.copy", "shutil.copy2", "shutil.copyfile",
        "shutil.copyfileobj", "shutil.copytree", "shutil.move", "shutil.rmtree", "shutil.which",
        "shutil.make_archive", "shutil.unpack_archive", "tempfile.mkstemp", "tempfile.mkdtemp",
        "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.TemporaryDirectory",
        "glob.glob", "glob.iglob", "zipfile.ZipFile", "tarfile.open", "json.load", "json.dump",
        "pickle.load", "pickle.dump", "mimetypes.guess_type",
    ],
    "processes": [
        "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.getoutput", "subprocess.getstatusoutput", "subprocess.Popen",
        "subprocess.Popen.wait", "subprocess.Popen.communicate", "os.popen", "os.wait", "os.waitpid",
    ],
    "waits": [
        "time.sleep", "threading.Lock.acquire", "threading.RLock.acquire", "threading.Event.wait",
        "threading.Condition.wait", "threading.Thread.join", "queue.Queue.get", "queue.Queue.put",
        "concurrent.futures.Future.result", "multiprocessing.Process.join",
    ],
    "network": [
        "socket.socket.connect", "socket.socket.accept", "socket.socket.recv", "socket.socket.send",
        "socket.socket.sendall", "socket.create_connection", "socket.getaddrinfo",
        "socket.gethostbyname", "socket.gethostbyname_ex", "ssl.SSLSocket.read",
        "ssl.SSLSocket.write", "urllib.request.urlopen", "http.client.HTTPConnection.request",
        "http.client.HTTPConnection.getresponse", "requests.get", "requests.Session.request",
        "httpx.get", "httpx.Client.request", "urllib3.PoolManager.request", "smtplib.SMTP",
        "ftplib.FTP",
    ],
    "databases": [
        "sqlite3.connect", "sqlite3.Connection.execute", "sqlite3.Connection.commit",
        "sqlite3.Connection.rollback", "sqlite3.Cursor.execute", "sqlite3.Cursor.fetchall",
        "psycopg2.connect", "psycopg2.extensions.cursor.execute", "pymysql.connect",
        "pymysql.cursors.Cursor.execute", "pymongo.collection.Collection.find_one",
        "redis.Redis.get", "redis.Redis.exists",
    ],
}  # fmt: skip


def _covered(symbol: str) -> bool:
    registry = builtin_registry()
    for rule in registry.all_rules:
        for target in rule.targets:
            if target.symbol == symbol:
                return True
            if target.is_wildcard and symbol.rpartition(".")[0] == target.owner:
                return symbol.rpartition(".")[2] not in target.except_
    return False


@pytest.mark.parametrize("family", sorted(REQUIRED))
def test_every_required_primitive_is_covered(family):
    missing = [s for s in REQUIRED[family] if not _covered(s)]
    assert not missing, f"{family}: no rule targets {missing}"


def test_every_target_says_how_the_runtime_gate_intercepts_it():
    for rule in builtin_registry().all_rules:
        for target in rule.targets:
            runtime = rule.runtime_for(target)
            assert runtime.mode in ("blockbuster", "patch", "none")
            assert runtime.keys or runtime.reason, (rule.id, target.symbol)


def test_blockbuster_keys_exist_in_the_installed_blockbuster():
    known = set(BlockBuster().functions)
    used = {
        key
        for rule in builtin_registry().all_rules
        for target in rule.targets
        for key in rule.runtime_for(target).keys
        if rule.runtime_for(target).mode == "blockbuster"
    }
    assert used, "no rule is mapped to Blockbuster at all"
    assert used <= known, f"keys Blockbuster {len(known)} does not have: {sorted(used - known)}"
    # a sample that must stay mapped to Blockbuster's own wrappers
    for key in ("os.stat", "io.TextIOWrapper.read", "socket.socket.connect",
                "sqlite3.Cursor.execute", "threading.Lock.acquire", "time.sleep"):  # fmt: skip
        assert key in used and key in known


def test_rules_json_lists_every_family_with_its_runtime_mapping():
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "rules", "--format", "json"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    payload = json.loads(done.stdout)
    categories = {rule["category"] for rule in payload["rules"]}
    assert {"file-read", "file-write", "file-metadata", "file-enumeration", "file-delete",
            "file-copy-move", "subprocess", "sleep", "lock", "sync-wait", "network", "dns",
            "http-client", "database"} <= categories  # fmt: skip
    for rule in payload["rules"]:
        assert rule["runtime_coverage"] in ("full", "partial", "none")
        assert all(t["runtime"]["mode"] for t in rule["targets"])
    blind = [r["id"] for r in payload["rules"] if r["runtime_coverage"] == "none"]
    assert "BIO116" in blind  # mimetypes: first-call-only IO, no anchor can observe it


def test_explaining_one_rule_shows_example_and_fix():
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "rules", "BIO102", "--format", "markdown"],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    text = done.stdout
    assert "## BIO102" in text and "### Why is this bad?" in text
    assert "### Example" in text and "### Use instead" in text
    assert "read_text" in text


def test_unknown_rule_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "rules", "BIO999"],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "blocking-io: error: unknown rule id 'BIO999' (see `blocking-io rules`)"
    )


def test_docs_rules_md_is_current():
    """docs/rules.md is generated (`make docs`); it must match the registry."""
    on_disk = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == rules_markdown(builtin_registry()), (
        "run `make docs` to regenerate docs/rules.md"
    )
