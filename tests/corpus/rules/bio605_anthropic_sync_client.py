# feature: anthropic-sync-client
"""A Claude-backed agent step: the sync Anthropic client on the loop, and AsyncAnthropic."""

import anthropic
from anthropic import Anthropic, AsyncAnthropic

CLIENT = Anthropic()
ACLIENT = AsyncAnthropic()
MODEL = "claude-sonnet-4-5"


async def answer(question: str) -> str:
    msg = CLIENT.messages.create(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": question}])  # expect: BIO605
    return msg.content[0].text


async def budget(question: str) -> int:
    return CLIENT.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": question}]).input_tokens  # expect: BIO605


async def submit_batch(requests: list) -> str:
    return CLIENT.messages.batches.create(requests=requests).id  # expect: BIO605


async def on_bedrock(client: anthropic.AnthropicBedrock, question: str):
    return client.messages.create(model=MODEL, max_tokens=256, messages=[{"role": "user", "content": question}])  # expect: BIO605


async def answer_async(question: str) -> str:
    msg = await ACLIENT.messages.create(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": question}])  # ok: AsyncAnthropic resources are coroutines
    return msg.content[0].text


async def stream_async(question: str) -> None:
    async with ACLIENT.messages.stream(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": question}]) as stream:  # ok: the async stream manager
        async for text in stream.text_stream:
            print(text)
