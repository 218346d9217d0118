# feature: name-collision
"""An in-memory job queue (not the stdlib queue module): nothing here waits."""

from collections import deque

_JOBS: deque = deque()


class Queue:
    def __init__(self) -> None:
        self.items: deque = deque()

    def put(self, item) -> None:
        self.items.append(item)  # ok: deque append

    def get(self):
        return self.items.popleft() if self.items else None  # ok: never waits


def put(job) -> None:
    _JOBS.append(job)  # ok: deque append


def get():
    return _JOBS.popleft() if _JOBS else None  # ok: never waits
