# feature: bcrypt-hash
"""Login and sign-up handlers hashing passwords with bcrypt (a compiled extension)."""

import asyncio

import bcrypt


async def sign_up(password: bytes) -> bytes:
    return bcrypt.hashpw(password, bcrypt.gensalt(rounds=12))  # expect: BIO702


async def login(password: bytes, hashed: bytes) -> bool:
    return bcrypt.checkpw(password, hashed)  # expect: BIO702


async def derive(password: bytes, salt: bytes) -> bytes:
    return bcrypt.kdf(password, salt, desired_key_bytes=32, rounds=100)  # expect: BIO702


async def login_offloaded(password: bytes, hashed: bytes) -> bool:
    return await asyncio.to_thread(bcrypt.checkpw, password, hashed)  # ok: offloaded by reference


async def new_salt() -> bytes:
    return bcrypt.gensalt()  # ok: a random salt, no hashing
