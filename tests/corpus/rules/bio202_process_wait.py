# feature: process-wait
"""Waiting for child processes synchronously on the loop."""

import asyncio
import os
import subprocess


async def wait_worker(proc: subprocess.Popen) -> int:
    return proc.wait(timeout=10)  # expect: BIO202


async def talk(proc: subprocess.Popen, data: bytes) -> bytes:
    out, _err = proc.communicate(data)  # expect: BIO202
    return out


async def reap(pid: int) -> int:
    _pid, status = os.waitpid(pid, 0)  # expect: BIO202
    return status


async def reap_any() -> tuple:
    return os.wait()  # expect: BIO202


async def reap_nohang(pid: int) -> int:
    _pid, status = os.waitpid(pid, os.WNOHANG)  # ok: WNOHANG never waits
    return status


async def wait_async(proc: asyncio.subprocess.Process) -> int:
    return await proc.wait()  # ok: asyncio Process.wait is a coroutine


async def poll(proc: subprocess.Popen) -> int | None:
    return proc.poll()  # ok: Popen.poll does not wait
