# feature: callback
"""Sync callables that the loop itself runs: call_soon / call_later / done callbacks / signals."""

import asyncio
import json
import shutil
import signal
from pathlib import Path

STATE = Path("/var/lib/relay/state.json")
CONFIG = Path("/etc/relay/config.json")


class Buffer:
    def __init__(self) -> None:
        self.items: list[dict] = []
        self.flushed = asyncio.Event()

    def _flush(self) -> None:
        STATE.write_text(json.dumps(self.items))  # expect: BIO103

    def _wake(self) -> None:
        self.flushed.set()  # ok: asyncio.Event.set does not block

    async def add(self, item: dict) -> None:
        self.items.append(item)
        loop = asyncio.get_running_loop()
        loop.call_soon(self._flush)  # ok: the callback's own body is where it blocks
        loop.call_soon(self._wake)  # ok: the callback does no IO


def _reload_config() -> None:
    json.loads(CONFIG.read_text())  # expect: BIO102


def _log_result(task: asyncio.Task) -> None:
    with open("/var/log/relay/tasks.log", "a") as fh:  # expect: BIO101
        fh.write(f"{task.get_name()} done\n")  # listed: BIO105


def _cleanup_tmp() -> None:
    cleanup_dir(Path("/tmp/relay"))  # expect: BIO110


def cleanup_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)  # ok: reported at the callback's call site


def _count(task: asyncio.Task) -> None:
    print(task.get_name(), "finished")  # ok: print is not a rule target


async def main() -> None:
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGHUP, _reload_config)  # ok: the handler's body is where it blocks
    loop.call_later(60, _cleanup_tmp)  # ok: the callback's body is where it blocks
    task = asyncio.create_task(asyncio.sleep(1))
    task.add_done_callback(_log_result)  # ok: the callback's body is where it blocks
    task.add_done_callback(_count)  # ok: the callback does no IO
    await task
