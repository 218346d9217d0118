# feature: sync-subprocess
"""An agent shell tool that runs commands with the sync subprocess APIs on the loop."""

import asyncio
import os
import subprocess


async def run_tool(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=30)  # expect: BIO201
    return result.stdout


async def git_head(repo: str) -> str:
    return subprocess.check_output(["git", "-C", repo, "rev-parse", "HEAD"], text=True).strip()  # expect: BIO201


async def start_worker(script: str) -> subprocess.Popen:
    return subprocess.Popen(["python", script])  # expect: BIO201


async def legacy_shell(command: str) -> int:
    return os.system(command)  # expect: BIO201


async def hostname() -> str:
    return subprocess.getoutput("hostname")  # expect: BIO201


async def run_tool_async(cmd: list[str]) -> bytes:
    proc = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE)  # ok: asyncio subprocess
    out, _ = await proc.communicate()  # ok: asyncio Process.communicate is a coroutine
    return out


async def run_tool_offloaded(cmd: list[str]) -> subprocess.CompletedProcess:
    return await asyncio.to_thread(subprocess.run, cmd, capture_output=True)  # ok: offloaded by reference
