# feature: async210
"""flake8-async ASYNC210 (blocking HTTP calls in async functions), translated."""

import urllib
import urllib.request
from urllib.request import urlopen

import httpx
import requests
import urllib3


async def module_level_functions(url: str):
    requests.get(url)  # expect: BIO406
    print(requests.get(url))  # expect: BIO406
    requests.post(url, json=requests.get(url).json())  # expect: BIO406
    requests.options(url)  # expect: BIO406
    requests.head(url)  # expect: BIO406
    requests.post(url)  # expect: BIO406
    requests.put(url)  # expect: BIO406
    requests.patch(url)  # expect: BIO406
    requests.delete(url)  # expect: BIO406
    fetch = requests.get  # ok: a reference, not a call
    return fetch


async def httpx_functions(url: str):
    httpx.options(url)  # expect: BIO407
    httpx.head(url)  # expect: BIO407
    httpx.post(url)  # expect: BIO407
    httpx.put(url)  # expect: BIO407
    httpx.patch(url)  # expect: BIO407
    httpx.delete(url)  # expect: BIO407
    httpx.request("GET", url)  # expect: BIO407


async def urllib_family(url: str):
    urllib3.request("GET", url)  # expect: BIO408
    urllib.request.urlopen(url)  # expect: BIO404
    urlopen(url)  # expect: BIO404


async def not_http(cache: dict):
    cache.get("not a sync http client")  # ok: dict.get


def sync_caller(url: str):
    requests.get(url)  # ok: sync function
