# feature: async22x
"""flake8-async ASYNC220/221/222 (subprocesses and process waits), translated."""

import os
import subprocess


async def notify(text: str) -> None:
    print(text)  # ok: print


async def spawn_and_run(cmd: list[str]):
    await notify(
        subprocess.getoutput("uname -a")  # expect: BIO201
    )
    subprocess.Popen(cmd)  # expect: BIO201
    os.system("sync")  # expect: BIO201
    subprocess.run(cmd)  # expect: BIO201
    subprocess.call(cmd)  # expect: BIO201
    subprocess.check_call(cmd)  # expect: BIO201
    subprocess.check_output(cmd)  # expect: BIO201
    subprocess.getoutput("id")  # expect: BIO201
    subprocess.getstatusoutput("id")  # expect: BIO201


async def spawn_family(path: str, argv: list[str], env: dict):
    os.posix_spawn(path, argv, env)  # expect: BIO201
    os.posix_spawnp(path, argv, env)  # expect: BIO201
    os.spawnl(os.P_WAIT, path, path)  # expect: BIO201
    os.spawnl(os.P_NOWAIT, path, path)  # expect: BIO201
    os.spawnlp(os.P_WAIT, path, path)  # expect: BIO201
    os.spawnv(os.P_WAIT, path, argv)  # expect: BIO201
    os.spawnvp(os.P_NOWAIT, path, argv)  # expect: BIO201


async def waits(pid: int):
    os.wait()  # expect: BIO202
    os.wait3(0)  # expect: BIO202
    os.wait4(pid, 0)  # expect: BIO202
    os.waitid(os.P_PID, pid, os.WEXITED)  # expect: BIO202
    os.waitpid(pid, 0)  # expect: BIO202


async def not_processes(pid: int):
    os.getpid()  # ok: no IO
    os.kill(pid, 0)  # ok: signal delivery does not wait
    subprocess.list2cmdline(["a", "b"])  # ok: string helper
