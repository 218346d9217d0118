# feature: name-collision
"""Request schemas (not the HTTP library): an in-memory registry of pending requests."""

from dataclasses import dataclass


@dataclass
class ApprovalRequest:
    id: str
    user: str


PENDING: dict[str, ApprovalRequest] = {}


def get(request_id: str) -> ApprovalRequest | None:
    return PENDING.get(request_id)  # ok: dict lookup


def post(request: ApprovalRequest) -> None:
    PENDING[request.id] = request  # ok: dict assignment
