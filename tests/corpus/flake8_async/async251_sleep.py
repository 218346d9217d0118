# feature: async251
"""flake8-async ASYNC251 (time.sleep in async functions), translated."""

import time
from time import sleep


async def sleeps(flag: bool):
    time.sleep(5)  # expect: BIO301
    time.sleep(5) if flag else time.sleep(1)  # expect: BIO301
    sleep(5)  # expect: BIO301


def sync_sleep():
    time.sleep(5)  # ok: sync function
