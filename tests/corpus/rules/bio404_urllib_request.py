# feature: urllib-request
"""Downloading model cards with urllib from async code."""

import asyncio
import http.client
import json
import urllib.request
from urllib.request import urlopen, urlretrieve


async def fetch_card(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as resp:  # expect: BIO404
        return json.load(resp)  # expect: BIO115


async def read_body(resp: http.client.HTTPResponse) -> bytes:
    return resp.read()  # expect: BIO404


async def fetch_card_short(url: str) -> bytes:
    return urlopen(url).read()  # expect: BIO404


async def download(url: str, dest: str) -> None:
    urlretrieve(url, dest)  # expect: BIO404


async def build_request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"User-Agent": "relay"})  # ok: building a request does no IO


async def fetch_card_offloaded(url: str) -> bytes:
    return await asyncio.to_thread(lambda: urlopen(url).read())  # ok: lambda offloaded
