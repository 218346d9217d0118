# feature: framework-channels
"""Django Channels: database_sync_to_async runs its function in a thread (called or used as a
decorator); a sync WebsocketConsumer's handlers run in a thread; async ones on the loop."""

import sqlite3

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer, WebsocketConsumer

DB = "/var/lib/chat/chat.db"


def load_history(room: str) -> list:
    return sqlite3.connect(DB).execute("SELECT * FROM messages WHERE room = ?", (room,)).fetchall()  # ok: reported at the async call site


@database_sync_to_async
def save_message(room: str, text: str) -> None:
    sqlite3.connect(DB).execute("INSERT INTO messages VALUES (?, ?)", (room, text))  # ok: the decorator runs it in a thread


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.history = await database_sync_to_async(load_history)("lobby")  # ok: offloaded by reference
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None) -> None:
        await save_message("lobby", text_data)  # ok: database_sync_to_async runs it in a thread

    async def disconnect(self, code) -> None:
        self.history = load_history("lobby")  # expect: BIO501


class LegacyConsumer(WebsocketConsumer):
    def connect(self) -> None:
        self.history = load_history("lobby")  # ok: a sync consumer runs in a thread
        self.accept()
