"""Work handed to threads is off the loop, in every form it is handed over."""

from __future__ import annotations

from analysis_support import check, project, run

OFFLOADS = {
    "svc/__init__.py": "",
    "svc/blocking.py": """
        import subprocess
        from pathlib import Path

        def render(path):
            return Path(path).read_text()

        def convert(src, dst):
            subprocess.run(["convert", src, dst], check=True)
    """,
    "svc/handlers.py": """
        import asyncio
        import concurrent.futures
        import functools
        import threading

        import anyio.to_thread
        from asgiref.sync import sync_to_async
        from fastapi.concurrency import run_in_threadpool as fastapi_pool
        from starlette.concurrency import run_in_threadpool

        from svc.blocking import convert, render

        POOL = concurrent.futures.ThreadPoolExecutor(4)

        async def to_thread(path):
            return await asyncio.to_thread(render, path)  # ok

        async def executor(path):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, render, path)  # ok

        async def executor_on_unknown_loop(self_loop, path):
            return await self_loop.run_in_executor(POOL, render, path)  # ok

        async def with_partial(src, dst):
            await asyncio.to_thread(functools.partial(convert, src, dst))  # ok

        async def with_lambda(src, dst):
            await asyncio.to_thread(lambda: convert(src, dst))  # ok

        async def with_nested_def(src, dst):
            def work():
                convert(src, dst)
                return render(dst)
            return await asyncio.to_thread(work)  # ok

        async def anyio_style(path):
            return await anyio.to_thread.run_sync(render, path)  # ok

        async def starlette_style(path):
            return await run_in_threadpool(render, path)  # ok

        async def fastapi_style(path):
            return await fastapi_pool(render, path)  # ok

        async def asgiref_style(path):
            return await sync_to_async(render)(path)  # ok

        async def executor_submit(path):
            fut = POOL.submit(render, path)  # ok
            return await asyncio.wrap_future(fut)

        async def executor_map(paths):
            return POOL.map(render, paths)  # ok

        async def thread_target(src, dst):
            threading.Thread(target=convert, args=(src, dst), daemon=True).start()  # ok

        async def arguments_are_evaluated_on_the_loop(path):
            return await asyncio.to_thread(str.upper, render(path))  # expect: BIO102

        async def direct_call_elsewhere(path):
            return render(path)  # expect: BIO102
    """,
}


def test_every_offload_form_is_off_the_loop(tmp_path):
    report = check(tmp_path, OFFLOADS)
    # offload sites are listed, with what they offload and whether it blocks
    sites = {(o.line, o.api, o.target) for o in report.offloads}
    assert (16, "asyncio.to_thread", "svc.blocking.render") in sites
    reaching = {o.target: o.reaches for o in report.offloads}
    assert reaching["svc.blocking.render"] == ["BIO102"]
    assert reaching["svc.blocking.convert"] == ["BIO201"]
    apis = {o.api for o in report.offloads}
    assert {
        "asyncio.to_thread",
        "asyncio.AbstractEventLoop.run_in_executor",
        "anyio.to_thread.run_sync",
        "starlette.concurrency.run_in_threadpool",
        "fastapi.concurrency.run_in_threadpool",
        "asgiref.sync.sync_to_async",
        "concurrent.futures.Executor.submit",
        "concurrent.futures.Executor.map",
        "threading.Thread",
    } <= apis


def test_an_offloaded_helper_called_directly_is_still_reported_there(tmp_path):
    check(
        tmp_path,
        {
            "m.py": """
                import asyncio
                import time

                def slow():
                    time.sleep(1)

                async def good():
                    await asyncio.to_thread(slow)  # ok

                async def bad():
                    slow()  # expect: BIO301
            """,
        },
    )


def test_configured_offload_wrappers(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/io.py": """
            import asyncio

            async def run_file_io(fn, *args):
                return await asyncio.to_thread(fn, *args)

            def run_io_decorator(fn):
                async def wrapper(*args):
                    return await asyncio.to_thread(fn, *args)
                return wrapper
        """,
        "app/api.py": """
            from pathlib import Path
            from app.io import run_file_io

            def read(path):
                return Path(path).read_text()

            async def handler(path):
                return await run_file_io(read, path)  # ok: configured offload wrapper
        """,
    }
    report = check(tmp_path, files, config='offload-functions = ["app.io.run_file_io"]')
    assert [o.api for o in report.offloads if o.function == "app.api.handler"] == [
        "app.io.run_file_io"
    ]


def test_sync_route_handlers_run_in_a_threadpool(tmp_path):
    check(
        tmp_path,
        {
            "api.py": """
                from pathlib import Path
                from fastapi import FastAPI

                app = FastAPI()

                @app.get("/sync")
                def sync_route():
                    return Path("/etc/motd").read_text()  # ok: FastAPI runs sync routes in a threadpool

                @app.get("/async")
                async def async_route():
                    return Path("/etc/motd").read_text()  # expect: BIO102
            """,
        },
    )


def test_offload_decorators(tmp_path):
    project(
        tmp_path,
        {
            "m.py": """
                from asgiref.sync import sync_to_async
                from pathlib import Path

                @sync_to_async
                def load(path):
                    return Path(path).read_text()

                async def handler(path):
                    return await load(path)
            """,
        },
    )
    assert run(tmp_path).findings == []


def test_project_decorators_whose_wrapper_offloads(tmp_path):
    check(
        tmp_path,
        {
            "m.py": """
                import asyncio
                import functools
                from pathlib import Path

                def in_thread(fn):
                    @functools.wraps(fn)
                    async def wrapper(*args):
                        return await asyncio.to_thread(fn, *args)
                    return wrapper

                def logged(fn):
                    @functools.wraps(fn)
                    async def wrapper(*args):
                        return fn(*args)
                    return wrapper

                @in_thread
                def load(path):
                    return Path(path).read_text()

                @logged
                def load_inline(path):
                    return Path(path).read_text()

                async def handler(path):
                    await load(path)  # ok: the decorator offloads it
                    return await load_inline(path)  # expect: BIO102
            """,
        },
    )
