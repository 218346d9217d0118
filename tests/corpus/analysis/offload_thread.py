# feature: offload-thread
"""threading.Thread / Timer and multiprocessing.Process targets run off the loop."""

import multiprocessing
import threading
import time
from pathlib import Path

EXPORTS = Path("/srv/exports")


def export_all() -> None:
    for name in ("users", "orders"):
        (EXPORTS / f"{name}.csv").write_text("")  # ok: runs in a thread or process


def heartbeat() -> None:
    while True:
        time.sleep(30)  # ok: runs in its own thread


async def start_export() -> None:
    threading.Thread(target=export_all, daemon=True).start()  # ok: runs in a new thread


async def start_heartbeat() -> threading.Thread:
    thread = threading.Thread(None, heartbeat, "heartbeat", daemon=True)  # ok: target given positionally
    thread.start()  # ok: starting a thread does not wait
    return thread


async def schedule_export() -> None:
    threading.Timer(60, export_all).start()  # ok: runs in a timer thread


async def export_in_process() -> None:
    multiprocessing.Process(target=export_all).start()  # ok: runs in a child process


async def export_and_wait() -> None:
    worker = threading.Thread(target=export_all)  # ok: runs in a new thread
    worker.start()  # ok: starting a thread does not wait
    worker.join()  # expect: BIO304
