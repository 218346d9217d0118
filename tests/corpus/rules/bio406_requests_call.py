# feature: requests-call
"""A GitHub integration that calls the API with requests from async handlers."""

import asyncio

import httpx
import requests

GITHUB = "https://api.github.com"
SESSION = requests.Session()


async def repo_info(owner: str, repo: str) -> dict:
    resp = requests.get(f"{GITHUB}/repos/{owner}/{repo}", timeout=10)  # expect: BIO406
    resp.raise_for_status()  # ok: Response methods do no IO
    return resp.json()  # ok: Response.json parses the body already read


async def create_issue(owner: str, repo: str, title: str) -> dict:
    return SESSION.post(f"{GITHUB}/repos/{owner}/{repo}/issues", json={"title": title}).json()  # expect: BIO406


async def star(owner: str, repo: str, session: requests.Session) -> None:
    session.put(f"{GITHUB}/user/starred/{owner}/{repo}")  # expect: BIO406


async def delete_hook(url: str) -> None:
    requests.request("DELETE", url)  # expect: BIO406


async def repo_info_async(owner: str, repo: str) -> dict:
    async with httpx.AsyncClient() as client:  # ok: async client
        resp = await client.get(f"{GITHUB}/repos/{owner}/{repo}")  # ok: AsyncClient.get is a coroutine
    return resp.json()  # ok: unresolved response method


async def repo_info_offloaded(owner: str, repo: str) -> requests.Response:
    return await asyncio.to_thread(requests.get, f"{GITHUB}/repos/{owner}/{repo}")  # ok: offloaded by reference


async def shutdown() -> None:
    SESSION.close()  # expect: BIO406


async def prepare(url: str) -> requests.PreparedRequest:
    return SESSION.prepare_request(requests.Request("GET", url))  # ok: prepares a request in memory
