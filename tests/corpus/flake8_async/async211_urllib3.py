# feature: async211
"""flake8-async ASYNC211 (urllib3 request), translated. We decide by the receiver's type, not
by an HTTP verb in the first argument."""

from urllib3 import PoolManager


async def pool_requests(url: str):
    pool = PoolManager()
    pool.request("OPTIONS", url)  # expect: BIO408
    pool.request("GET", url)  # expect: BIO408
    pool.request("HEAD", url)  # expect: BIO408
    pool.request("POST", url)  # expect: BIO408
    pool.request("PUT", url)  # expect: BIO408
    pool.request("DELETE", url)  # expect: BIO408
    pool.request("PATCH", url)  # expect: BIO408
    pool.request("put", url)  # expect: BIO408
    pool.request(method_for(url), url)  # expect: BIO408


async def unknown_receiver(session, url: str):
    session.request("GET", url)  # ok: unknown receiver (ASYNC211 flags any .request with a verb)
    session.request("PUT", url)  # ok: unknown receiver


def method_for(url: str) -> str:
    return "GET" if url.endswith("/") else "HEAD"  # ok: pure helper
