# feature: openai-sync-client
"""Chat and embedding endpoints on the OpenAI SDK: the sync client on the loop, and AsyncOpenAI."""

import asyncio

import openai
from openai import AsyncOpenAI, AzureOpenAI, OpenAI


class Assistant:
    def __init__(self) -> None:
        self.client = OpenAI()
        self.aclient = AsyncOpenAI()

    async def reply(self, text: str) -> str:
        resp = self.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])  # expect: BIO604
        return resp.choices[0].message.content

    async def reply_async(self, text: str) -> str:
        resp = await self.aclient.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])  # ok: AsyncOpenAI resources are coroutines
        return resp.choices[0].message.content


async def embed(client: OpenAI, texts: list[str]) -> list:
    return client.embeddings.create(model="text-embedding-3-small", input=texts).data  # expect: BIO604


async def transcribe(client: AzureOpenAI, audio) -> str:
    return client.audio.transcriptions.create(model="whisper-1", file=audio).text  # expect: BIO604


async def respond(client: OpenAI, prompt: str) -> str:
    return client.with_options(timeout=10).responses.create(model="gpt-4.1", input=prompt).output_text  # expect: BIO604


async def module_client(text: str):
    return openai.moderations.create(input=text)  # expect: BIO604


async def embed_offloaded(client: OpenAI, texts: list[str]):
    return await asyncio.to_thread(client.embeddings.create, model="text-embedding-3-small", input=texts)  # ok: offloaded by reference


async def embed_async(client: AsyncOpenAI, texts: list[str]):
    return await client.embeddings.create(model="text-embedding-3-small", input=texts)  # ok: AsyncOpenAI resources are coroutines


async def embed_batches(batches: list[list[str]]):
    client = AsyncOpenAI()
    tasks = [client.embeddings.create(model="text-embedding-3-small", input=b) for b in batches]  # ok: coroutines, gathered below
    return await asyncio.gather(*tasks)


async def embed_batches_sync(batches: list[list[str]]):
    client = OpenAI()
    return [client.embeddings.create(model="text-embedding-3-small", input=b) for b in batches]  # expect: BIO604
