# feature: google-genai-sync-client
"""Gemini calls through google-genai: the sync surface on the loop, and client.aio."""

from google import genai

client = genai.Client()
MODEL = "gemini-2.5-flash"


async def describe(prompt: str) -> str:
    return client.models.generate_content(model=MODEL, contents=prompt).text  # expect: BIO608


async def embed(text: str):
    return client.models.embed_content(model="text-embedding-004", contents=text)  # expect: BIO608


async def upload(path: str):
    return client.files.upload(file=path)  # expect: BIO608


async def chat_turn(message: str) -> str:
    chat = client.chats.create(model=MODEL)  # ok: creates a chat session locally
    return chat.send_message(message).text  # expect: BIO608


async def describe_async(prompt: str) -> str:
    resp = await client.aio.models.generate_content(model=MODEL, contents=prompt)  # ok: client.aio is the async surface
    return resp.text
