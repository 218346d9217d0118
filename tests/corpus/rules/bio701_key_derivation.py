# feature: key-derivation
"""A user store that derives password keys with hashlib's KDFs from async handlers."""

import asyncio
import hashlib
import os

ITERATIONS = 600_000


async def register(password: str) -> tuple[bytes, bytes]:
    salt = os.urandom(16)  # ok: os.urandom reads the kernel's entropy pool without waiting
    key = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)  # expect: BIO701
    return salt, key


async def check(password: str, salt: bytes, stored: bytes) -> bool:
    derived = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)  # expect: BIO701
    return derived == stored


async def check_offloaded(password: str, salt: bytes, stored: bytes) -> bool:
    derived = await asyncio.to_thread(hashlib.pbkdf2_hmac, "sha256", password.encode(), salt, ITERATIONS)  # ok: offloaded by reference
    return derived == stored


async def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()  # ok: one fast digest, not a KDF
