# feature: pymongo-call
"""Conversation storage in MongoDB through the sync PyMongo client."""

from pymongo import AsyncMongoClient
from pymongo.collection import Collection


class ConversationStore:
    conversations: Collection

    def __init__(self, collection: Collection) -> None:
        self.conversations = collection

    async def get(self, conv_id: str) -> dict | None:
        return self.conversations.find_one({"_id": conv_id})  # expect: BIO504

    async def append(self, conv_id: str, message: dict) -> None:
        self.conversations.update_one({"_id": conv_id}, {"$push": {"messages": message}})  # expect: BIO504

    async def recent(self, user: str) -> list:
        return [doc["_id"] for doc in self.conversations.find({"user": user})]  # expect: BIO504

    async def count(self, user: str) -> int:
        return self.conversations.count_documents({"user": user})  # expect: BIO504

    def query(self, user: str):
        return self.conversations.find({"user": user})  # ok: sync method, never called from the loop


async def get_async(client: AsyncMongoClient, conv_id: str) -> dict | None:
    return await client.relay.conversations.find_one({"_id": conv_id})  # ok: AsyncMongoClient is async
