# feature: urllib3-request
"""Artifact downloads through a urllib3 pool on the loop."""

import urllib3

HTTP = urllib3.PoolManager(num_pools=4)


async def download(url: str) -> bytes:
    return HTTP.request("GET", url).data  # expect: BIO408


async def head(url: str) -> int:
    return urllib3.request("HEAD", url).status  # expect: BIO408


async def fetch(pool: urllib3.HTTPConnectionPool, path: str) -> bytes:
    return pool.urlopen("GET", path).data  # expect: BIO408


async def headers() -> dict:
    return urllib3.make_headers(user_agent="relay")  # ok: builds a dict, no IO
