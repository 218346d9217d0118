# feature: name-collision
"""Handlers using the project's requests / queue / shutil modules, and the real requests."""

import requests as http_requests

from app.jobs import queue, shutil
from app.jobs.queue import Queue
from app.schemas import requests
from app.schemas.requests import ApprovalRequest

LOCAL = Queue()


async def approve(request_id: str) -> bool:
    pending = requests.get(request_id)  # ok: app.schemas.requests.get is a dict lookup
    if pending is None:
        return False
    queue.put({"approve": pending.id})  # ok: app.jobs.queue.put never waits
    return True


async def submit(user: str) -> None:
    requests.post(ApprovalRequest(id=user, user=user))  # ok: app.schemas.requests.post is in memory
    LOCAL.put(user)  # ok: app.jobs.queue.Queue.put never waits


async def next_job():
    job = queue.get()  # ok: app.jobs.queue.get never waits
    return shutil.move(shutil.copy(job), "done") if job else LOCAL.get()  # ok: project modules


async def notify(url: str) -> int:
    return http_requests.post(url, json={}).status_code  # expect: BIO406
