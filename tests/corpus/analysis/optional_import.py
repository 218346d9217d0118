# feature: annotated-receiver
"""`try: from lib import Cls` / `except ImportError: Cls = None`: the name is the class
wherever the library is installed; the `None` is only the fallback."""

try:
    from requests import Session
except ImportError:
    Session = None

try:
    from httpx import AsyncClient
except ImportError:
    AsyncClient = None


async def fetch(url: str) -> bytes:
    session = Session()
    return session.get(url).content  # expect: BIO406


async def fetch_async(url: str) -> bytes:
    async with AsyncClient() as client:  # ok: an async client
        response = await client.get(url)
    return response.content
