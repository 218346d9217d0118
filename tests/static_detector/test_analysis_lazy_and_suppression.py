"""Lazy iterators block where they are consumed; suppressions are comments with reasons."""

from __future__ import annotations

import json

from analysis_support import check, project, run


def test_lazy_iterators_block_only_when_consumed_on_the_loop(tmp_path):
    check(
        tmp_path,
        {
            "skills.py": """
                import asyncio
                import glob
                import os
                from pathlib import Path

                ROOT = Path("/srv/skills")

                async def consumed_by_for():
                    for p in ROOT.glob("*/SKILL.md"):  # expect: BIO108
                        print(p)

                async def consumed_by_comprehension():
                    return [p.stem for p in ROOT.iterdir()]  # expect: BIO108

                async def consumed_by_list():
                    return sorted(ROOT.rglob("*.py"))  # expect: BIO108

                async def handed_to_a_thread():
                    return await asyncio.to_thread(list, ROOT.glob("*/SKILL.md"))  # ok

                async def via_a_variable():
                    pattern = ROOT.glob("*.md")  # ok: consumed in the thread below
                    return await asyncio.to_thread(sorted, pattern)

                async def via_a_variable_on_the_loop():
                    entries = os.scandir("/srv")  # expect: BIO108
                    return [e.name for e in entries]

                async def never_consumed():
                    ROOT.glob("*")  # ok: a generator nobody iterates does no IO
                    return glob.glob("/srv/*")  # expect: BIO108

                def list_skills():
                    return ROOT.glob("*/SKILL.md")

                async def consumes_a_returned_iterator():
                    return [p for p in list_skills()]  # expect: BIO108

                def read_lines(path):
                    with open(path) as fh:
                        yield from fh

                async def sync_generator_on_the_loop(path):
                    return list(read_lines(path))  # expect: BIO101

                async def sync_generator_in_a_thread(path):
                    return await asyncio.to_thread(list, read_lines(path))  # ok
            """,
        },
    )


def test_suppressions_on_the_line_the_def_and_the_chain(tmp_path):
    report = check(
        config='extend-select = ["BIO116"]',
        root=tmp_path,
        files={
            "svc/__init__.py": "",
            "svc/helpers.py": """
                import mimetypes
                from pathlib import Path

                def guess(name):
                    return mimetypes.guess_type(name)  # blocking-io: ignore[BIO116] db loaded at start-up

                def small_read(p):
                    return Path(p).read_text()
            """,
            "svc/api.py": """
                import time
                from svc.helpers import guess, small_read

                async def serve(name):
                    return guess(name)  # expect: BIO116 suppressed

                async def tiny(p):
                    return small_read(p)  # blocking-io: ignore[BIO102] a 10-byte file  # expect: BIO102 suppressed

                async def poller():  # blocking-io: ignore[BIO301] test double, never deployed
                    time.sleep(0.01)  # expect: BIO301 suppressed

                async def other_rule_is_not_suppressed(p):
                    time.sleep(1)  # blocking-io: ignore[BIO102] wrong rule  # expect: BIO301

                async def clean():
                    return 1  # blocking-io: ignore[BIO101] nothing here
            """,
        },
    )
    suppressed = [f for f in report.findings if f.suppressed]
    assert {f.suppressed.reason for f in suppressed} == {
        "db loaded at start-up",
        "a 10-byte file",
        "test double, never deployed",
    }
    unused = {(u.path, u.line) for u in report.unused_suppressions}
    assert unused == {("svc/api.py", 14), ("svc/api.py", 17)}


def test_suppressed_findings_do_not_fail_the_run(tmp_path):
    import subprocess
    import sys

    project(
        tmp_path,
        {
            "m.py": "import time\n\nasync def f():\n    time.sleep(1)  # blocking-io: ignore[BIO301] demo\n"
        },
    )
    done = subprocess.run(
        [sys.executable, "-m", "blocking_io", "detect", "--format", "json", "--no-cache"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding["suppressed"]["reason"] == "demo"


def test_messages_explain_severity_exposure_and_chain(tmp_path):
    project(
        tmp_path,
        {
            "a/__init__.py": "",
            "a/x.py": """
                import subprocess

                def build():
                    return compile_assets()

                def compile_assets():
                    return subprocess.check_output(["npm", "run", "build"])

                async def deploy():
                    build()

                async def now():
                    subprocess.run(["true"])
            """,
        },
    )
    findings = {f.function: f for f in run(tmp_path).findings}
    transitive, direct = findings["a.x.deploy"], findings["a.x.now"]
    assert transitive.exposure == "transitive" and direct.exposure == "direct"
    assert "reached through `x.build()` (2 calls deep)" in transitive.message
    assert "[P1: high subprocess, request]" in direct.message
    assert [s.function for s in transitive.chain] == [
        "a.x.deploy",
        "a.x.build",
        "a.x.compile_assets",
        "subprocess.check_output",
    ]
    assert transitive.chain[-1].line == 7 and transitive.chain[-1].path == "a/x.py"
    # the fix names the loop-side call to take off the loop, not the innermost primitive's fix
    assert transitive.fix == "Take the call off the loop: `await asyncio.to_thread(build)`."
    assert direct.fix.startswith("`await asyncio.create_subprocess_exec")


def test_fingerprints_survive_unrelated_edits(tmp_path):
    files = {
        "m.py": """
            import time

            async def f():
                time.sleep(1)
        """
    }
    project(tmp_path, files)
    before = run(tmp_path).findings[0]
    source = (tmp_path / "m.py").read_text()
    (tmp_path / "m.py").write_text("# a new header comment\n\n\n" + source)
    after = run(tmp_path).findings[0]
    assert after.line == before.line + 3
    assert after.fingerprint == before.fingerprint
