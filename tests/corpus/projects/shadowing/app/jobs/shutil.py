# feature: name-collision
"""Job helpers in a module named like the stdlib one."""


def copy(job: dict) -> dict:
    return dict(job)  # ok: dict copy


def move(job: dict, queue_name: str) -> dict:
    return {**job, "queue": queue_name}  # ok: pure
