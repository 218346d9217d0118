# feature: argon2-hash
"""An account service hashing passwords with argon2-cffi."""

import asyncio

from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret_raw

HASHER = PasswordHasher()


async def sign_up(password: str) -> str:
    return HASHER.hash(password)  # expect: BIO703


async def login(stored: str, password: str) -> bool:
    return HASHER.verify(stored, password)  # expect: BIO703


async def raw_key(secret: bytes, salt: bytes) -> bytes:
    return hash_secret_raw(secret, salt, time_cost=3, memory_cost=65536, parallelism=4, hash_len=32, type=Type.ID)  # expect: BIO703


async def login_offloaded(stored: str, password: str) -> bool:
    return await asyncio.to_thread(HASHER.verify, stored, password)  # ok: offloaded by reference
