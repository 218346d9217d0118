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


async def search(url: str, q: str) -> bytes:
    return HTTP.request_encode_url("GET", url, fields={"q": q}).data  # expect: BIO408


async def upload(pool: urllib3.HTTPConnectionPool, path: str, body: dict) -> int:
    return pool.request_encode_body("POST", path, fields=body).status  # expect: BIO408


async def reset() -> None:
    HTTP.clear()  # expect: BIO408


async def shutdown(pool: urllib3.HTTPConnectionPool) -> None:
    pool.close()  # expect: BIO408


async def pool_for(url: str) -> urllib3.HTTPConnectionPool:
    return HTTP.connection_from_url(url)  # ok: picks or creates a pool object, no connection yet
