# feature: httpx2-sync-call
"""An LLM gateway on httpx2, the maintained continuation of httpx: sync and async clients."""

import asyncio

import httpx2

API = "https://llm.internal/v1"
SYNC_CLIENT = httpx2.Client(base_url=API, timeout=30)
ASYNC_CLIENT = httpx2.AsyncClient(base_url=API, timeout=30)


async def complete(prompt: str) -> str:
    resp = SYNC_CLIENT.post("/completions", json={"prompt": prompt})  # expect: BIO410
    return resp.json()["text"]


async def list_models() -> list:
    return httpx2.get(f"{API}/models").json()  # expect: BIO410


async def search(q: str) -> dict:
    return httpx2.query(f"{API}/search", params={"q": q}).json()  # expect: BIO410


async def stream_tokens(client: httpx2.Client, prompt: str) -> None:
    with client.stream("POST", "/stream", json={"prompt": prompt}) as resp:  # expect: BIO410
        print(resp.status_code)


async def shutdown(client: httpx2.Client) -> None:
    client.close()  # expect: BIO410


async def complete_async(prompt: str) -> str:
    resp = await ASYNC_CLIENT.post("/completions", json={"prompt": prompt})  # ok: AsyncClient.post is a coroutine
    return resp.json()["text"]  # ok: unresolved response method


async def shutdown_async() -> None:
    await ASYNC_CLIENT.aclose()  # ok: AsyncClient.aclose is a coroutine


async def build(prompt: str) -> httpx2.Request:
    return SYNC_CLIENT.build_request("POST", "/completions", json={"prompt": prompt})  # ok: builds a request, no IO


async def complete_offloaded(prompt: str) -> httpx2.Response:
    return await asyncio.to_thread(SYNC_CLIENT.post, "/completions", json={"prompt": prompt})  # ok: offloaded by reference
