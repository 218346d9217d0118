# feature: peewee-call
"""A peewee model used from async handlers."""

import asyncio

import peewee

db = peewee.SqliteDatabase("app.db")


class Note(peewee.Model):
    title = peewee.CharField()
    done = peewee.BooleanField(default=False)

    class Meta:
        database = db


async def get_note(note_id: int) -> Note:
    return Note.get_by_id(note_id)  # expect: BIO508


async def find(title: str):
    return Note.get_or_none(Note.title == title)  # expect: BIO508


async def add(title: str) -> Note:
    return Note.create(title=title)  # expect: BIO508


async def finish(note: Note) -> None:
    note.done = True
    note.save()  # expect: BIO508


async def drop(note: Note) -> None:
    note.delete_instance()  # expect: BIO508


async def open_count() -> int:
    return Note.select().where(Note.done == False).count()  # expect: BIO508


async def first_open():
    return Note.select().where(Note.done == False).order_by(Note.title).first()  # expect: BIO508


async def close_all() -> int:
    return Note.update(done=True).where(Note.done == False).execute()  # expect: BIO508


async def raw_sql() -> None:
    db.execute_sql("VACUUM")  # expect: BIO508


async def open_query():
    return Note.select().where(Note.title.contains("todo"))  # ok: building a query runs nothing


async def get_note_offloaded(note_id: int) -> Note:
    return await asyncio.to_thread(Note.get_by_id, note_id)  # ok: offloaded by reference
