# feature: async212
"""flake8-async ASYNC212 (sync httpx.Client methods), translated."""

from typing import Optional

import httpx
import urllib3
from httpx import Client


async def constructed(url: str):
    client = httpx.Client()
    client.delete(url)  # expect: BIO407
    client.get(url)  # expect: BIO407
    client.head(url)  # expect: BIO407
    client.options(url)  # expect: BIO407
    client.patch(url)  # expect: BIO407
    client.post(url)  # expect: BIO407
    client.put(url)  # expect: BIO407
    client.request("GET", url)  # expect: BIO407
    client.send(client.build_request("GET", url))  # expect: BIO407
    client.stream("GET", url)  # expect: BIO407
    client.build_request("GET", url)  # ok: builds a request, no IO
    client.close()  # expect: BIO407
    return client.is_closed  # ok: attribute


async def annotated_param(client: httpx.Client, request: httpx.Request):
    client.send(request)  # expect: BIO407


async def annotated_optional_left(client: None | httpx.Client, request: httpx.Request):
    client.send(request)  # expect: BIO407


async def annotated_optional_right(client: httpx.Client | None, request: httpx.Request):
    client.send(request)  # expect: BIO407


async def annotated_optional(client: Optional[httpx.Client], request: httpx.Request):
    client.send(request)  # expect: BIO407


async def annotated_variable(request: httpx.Request):
    client: httpx.Client = make_client()
    client.send(request)  # expect: BIO407


GLOBAL_CLIENT = httpx.Client()


async def global_client(request: httpx.Request):
    GLOBAL_CLIENT.send(request)  # expect: BIO407


def sync_global_client(request: httpx.Request):
    GLOBAL_CLIENT.send(request)  # ok: sync function


async def alias_import(request: httpx.Request):
    client: Client = Client()
    client.send(request)  # expect: BIO407


async def async_client(url: str):
    async with httpx.AsyncClient() as client:  # ok: AsyncClient
        await client.get(url)  # ok: AsyncClient.get is a coroutine


async def urllib3_pools(path: str):
    pool: urllib3.HTTPConnectionPool = make_pool()
    pool.request("GET", path)  # expect: BIO408
    pool.urlopen("GET", path)  # expect: BIO408
    pool.is_same_host(path)  # ok: no IO (ASYNC212 flags every method of a pool)


def make_client() -> httpx.Client:
    return httpx.Client()  # ok: sync helper, constructing does no IO


def make_pool() -> urllib3.HTTPConnectionPool:
    return urllib3.HTTPConnectionPool("localhost")  # ok: sync helper, constructing does no IO
