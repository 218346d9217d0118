# feature: elasticsearch-sync-client
"""Search endpoints over Elasticsearch: the sync client on the loop, and AsyncElasticsearch."""

from elasticsearch import AsyncElasticsearch, Elasticsearch, helpers

ES = Elasticsearch("http://search:9200")
AES = AsyncElasticsearch("http://search:9200")


async def search(query: str) -> dict:
    return ES.search(index="docs", query={"match": {"text": query}})  # expect: BIO607


async def ensure_index() -> None:
    if not ES.indices.exists(index="docs"):  # expect: BIO607
        ES.indices.create(index="docs")  # expect: BIO607


async def load(actions: list) -> tuple:
    return helpers.bulk(ES, actions)  # expect: BIO607


async def search_async(query: str) -> dict:
    return await AES.search(index="docs", query={"match": {"text": query}})  # ok: AsyncElasticsearch methods are coroutines


async def with_timeout() -> Elasticsearch:
    return ES.options(request_timeout=5)  # ok: options() returns a configured copy, no request
