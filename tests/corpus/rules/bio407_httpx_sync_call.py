# feature: httpx-sync-call
"""An LLM provider client that mixes the sync and async httpx APIs."""

import httpx

API = "https://llm.internal/v1"
SYNC_CLIENT = httpx.Client(base_url=API, timeout=30)
ASYNC_CLIENT = httpx.AsyncClient(base_url=API, timeout=30)


async def complete(prompt: str) -> str:
    resp = SYNC_CLIENT.post("/completions", json={"prompt": prompt})  # expect: BIO407
    return resp.json()["text"]


async def list_models() -> list:
    return httpx.get(f"{API}/models").json()  # expect: BIO407


async def stream_tokens(prompt: str) -> None:
    with httpx.stream("POST", f"{API}/stream", json={"prompt": prompt}) as resp:  # expect: BIO407
        print(resp.status_code)


async def embed(client: httpx.Client, text: str) -> list:
    return client.post("/embeddings", json={"input": text}).json()  # expect: BIO407


async def complete_async(prompt: str) -> str:
    resp = await ASYNC_CLIENT.post("/completions", json={"prompt": prompt})  # ok: AsyncClient.post is a coroutine
    return resp.json()["text"]  # ok: unresolved response method


async def build(prompt: str) -> httpx.Request:
    return SYNC_CLIENT.build_request("POST", "/completions", json={"prompt": prompt})  # ok: builds a request, no IO


async def shutdown() -> None:
    SYNC_CLIENT.close()  # expect: BIO407


async def shutdown_async() -> None:
    await ASYNC_CLIENT.aclose()  # ok: AsyncClient.aclose is a coroutine
