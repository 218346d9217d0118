# feature: qdrant-sync-client
"""Retrieval over Qdrant: the sync client on the loop, and AsyncQdrantClient."""

import asyncio

from qdrant_client import AsyncQdrantClient, QdrantClient

QDRANT = QdrantClient(url="http://qdrant:6333")
AQDRANT = AsyncQdrantClient(url="http://qdrant:6333")


async def similar(vector: list[float]) -> list:
    return QDRANT.query_points("docs", query=vector, limit=5).points  # expect: BIO609


async def store(points: list) -> None:
    QDRANT.upsert("docs", points=points)  # expect: BIO609


async def ensure(name: str) -> bool:
    return QDRANT.collection_exists(name)  # expect: BIO609


async def similar_async(vector: list[float]) -> list:
    return (await AQDRANT.query_points("docs", query=vector, limit=5)).points  # ok: AsyncQdrantClient methods are coroutines


async def store_offloaded(points: list) -> None:
    await asyncio.to_thread(QDRANT.upsert, "docs", points=points)  # ok: offloaded by reference


async def models() -> list:
    return QDRANT.list_text_models()  # ok: lists fastembed's bundled model table, no request
