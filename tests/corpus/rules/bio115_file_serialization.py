# feature: file-serialization
"""Checkpoints of an agent runtime: json / pickle straight to files on the loop."""

import json
import pickle
from typing import BinaryIO, TextIO


async def load_checkpoint(fh: BinaryIO):
    return pickle.load(fh)  # expect: BIO115


async def save_checkpoint(state: dict, fh: BinaryIO) -> None:
    pickle.dump(state, fh)  # expect: BIO115


async def load_settings(fh: TextIO) -> dict:
    return json.load(fh)  # expect: BIO115


async def save_settings(settings: dict, fh: TextIO) -> None:
    json.dump(settings, fh, indent=2)  # expect: BIO115


async def encode_event(event: dict) -> str:
    return json.dumps(event)  # ok: json.dumps serializes in memory


async def decode_event(raw: str) -> dict:
    return json.loads(raw)  # ok: json.loads parses in memory


async def clone_state(state: dict) -> dict:
    return pickle.loads(pickle.dumps(state))  # ok: in-memory pickling
