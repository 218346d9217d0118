"""What counts as running on the loop: async code, loop callbacks, framework hooks."""

from __future__ import annotations

from analysis_support import check, project, run


def test_async_generators_context_managers_and_dunder_methods(tmp_path):
    check(
        tmp_path,
        {
            "stream.py": """
                import contextlib
                import os
                import time

                async def tail(path):
                    fh = open(path)  # expect: BIO101
                    while True:
                        yield fh.readline()  # listed: BIO104

                class Lease:
                    async def __aenter__(self):
                        time.sleep(0.1)  # expect: BIO301
                        return self

                    async def __aexit__(self, *exc):
                        os.remove("/tmp/lease")  # expect: BIO110

                @contextlib.asynccontextmanager
                async def workspace(path):
                    os.makedirs(path, exist_ok=True)  # expect: BIO109
                    yield path
            """,
        },
    )


def test_loop_callbacks_are_loop_code(tmp_path):
    report = check(
        tmp_path,
        {
            "svc/__init__.py": "",
            "svc/housekeeping.py": """
                import asyncio
                import functools
                import os
                import shutil

                def purge_tmp():
                    shutil.rmtree("/tmp/svc")  # expect: BIO110

                def record_metrics(task):
                    write_metrics(task.get_name())  # expect: BIO101

                def write_metrics(name):
                    with open("/var/metrics", "a") as fh:
                        fh.write(name)

                def on_readable(sock):
                    os.listdir("/proc")  # expect: BIO108

                def on_signal(reason):
                    os.sync()  # ok: not a registry target

                def later(path):
                    os.stat(path)  # expect: BIO106

                async def start(sock, path):
                    loop = asyncio.get_running_loop()
                    loop.call_soon(purge_tmp)
                    loop.call_later(30, functools.partial(later, path))
                    loop.add_reader(sock, on_readable, sock)
                    loop.add_signal_handler(15, on_signal, "term")
                    task = asyncio.create_task(asyncio.sleep(1))
                    task.add_done_callback(record_metrics)
                    loop.call_soon(lambda: os.unlink(path))  # expect: BIO110

                def only_in_threads():
                    os.listdir("/")  # ok: never on the loop
            """,
        },
    )
    by_line = {f.line: f for f in report.findings}
    assert all(f.exposure == "loop-callback" for f in report.findings)
    assert "call_soon" in by_line[7].message  # says how the loop runs it


def test_configured_loop_entrypoints_are_framework_hooks(tmp_path):
    files = {
        "bot/__init__.py": "",
        "bot/hooks.py": """
            import json
            from pathlib import Path

            def on_message(msg):
                Path("/var/log/bot.log").write_text(json.dumps(msg))  # expect: BIO103

            def on_start():
                return load_state()  # expect: BIO102

            def load_state():
                return Path("/var/lib/bot/state.json").read_text()

            def helper_not_a_hook():
                Path("/x").unlink()  # ok: not a hook, not called from the loop
        """,
    }
    check(tmp_path, files, config='loop-entrypoints = ["bot.hooks.on_*"]')


def test_without_the_hook_config_nothing_is_reported(tmp_path):
    project(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/hooks.py": "from pathlib import Path\n\ndef on_message(m):\n    Path('/x').write_text(m)\n",
        },
    )
    assert run(tmp_path).findings == []


def test_module_level_and_sync_only_code_is_not_reported(tmp_path):
    check(
        tmp_path,
        {
            "cli.py": """
                import asyncio
                import subprocess
                import time
                from pathlib import Path

                CONFIG = Path("/etc/app.toml").read_text()  # ok: import time, not the loop

                def main():
                    subprocess.run(["make"])  # ok: sync entry point
                    time.sleep(1)  # ok
                    asyncio.run(serve())

                async def serve():
                    await asyncio.sleep(1)

                if __name__ == "__main__":
                    main()
            """,
        },
    )


def test_async_callers_are_listed_as_entrypoints(tmp_path):
    project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core.py": """
                import time

                async def pause():
                    time.sleep(1)

                async def handler():
                    await pause()

                async def route():
                    await handler()
            """,
        },
    )
    (finding,) = run(tmp_path).findings
    assert finding.function == "app.core.pause"
    assert finding.entrypoints == ["app.core.handler", "app.core.pause", "app.core.route"]
