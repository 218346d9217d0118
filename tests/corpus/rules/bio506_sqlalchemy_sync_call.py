# feature: sqlalchemy-sync-call
"""A FastAPI service on SQLAlchemy: the sync Session / Engine on the loop, and the asyncio API."""

import asyncio

from fastapi import Depends, FastAPI
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session, sessionmaker

app = FastAPI()
engine = create_engine("postgresql://db/app")  # ok: module-level code runs at import
async_engine = create_async_engine("postgresql+asyncpg://db/app")  # ok: module-level code runs at import
SessionLocal = sessionmaker(bind=engine)
ScopedSession = scoped_session(SessionLocal)
METADATA = MetaData()


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()  # ok: runs in the dependency's threadpool


@app.get("/users/{user_id}")
async def read_user(user_id: int, db: Session = Depends(get_db)):
    return db.get(User, user_id)  # expect: BIO506


@app.get("/users")
async def list_users(db: Session = Depends(get_db)):
    return db.scalars(select(User).order_by(User.name)).all()  # expect: BIO506


@app.post("/users")
async def create_user(name: str, db: Session = Depends(get_db)):
    user = User(name=name)  # ok: a mapped object in memory
    db.add(user)  # ok: Session.add only stages the object
    db.commit()  # expect: BIO506
    db.refresh(user)  # expect: BIO506
    return user


async def legacy_lookup(db: Session, name: str):
    return db.query(User).filter(User.name == name).first()  # expect: BIO506


async def legacy_count(db: Session) -> int:
    query = db.query(User)  # ok: building a Query runs nothing
    return query.count()  # expect: BIO506


async def scoped_lookup(user_id: int):
    return ScopedSession.get(User, user_id)  # expect: BIO506


async def ping() -> int:
    with engine.connect() as conn:  # expect: BIO506
        return conn.execute(text("SELECT 1")).scalar_one()  # listed: BIO506


async def migrate() -> None:
    with engine.begin() as conn:  # expect: BIO506
        conn.exec_driver_sql("VACUUM")  # listed: BIO506


async def create_schema() -> None:
    METADATA.create_all(engine)  # expect: BIO506


async def read_user_async(user_id: int):
    async with AsyncSession(async_engine) as session:  # ok: the asyncio session
        return await session.get(User, user_id)  # ok: AsyncSession.get is a coroutine


async def list_users_async(session: AsyncSession):
    result = await session.execute(select(User))  # ok: AsyncSession.execute is a coroutine
    return result.scalars().all()  # ok: the result is already buffered


def _rename(session: Session, user_id: int, name: str) -> None:
    session.get(User, user_id).name = name  # ok: run_sync runs it in SQLAlchemy's greenlet
    session.flush()  # ok: run_sync runs it in SQLAlchemy's greenlet


async def rename_async(session: AsyncSession, user_id: int, name: str) -> None:
    await session.run_sync(_rename, user_id, name)  # ok: handed to run_sync, not called here


def _count_users() -> int:
    with SessionLocal() as db:
        return db.query(User).count()  # ok: runs in a worker thread


async def count_users_offloaded() -> int:
    return await asyncio.to_thread(_count_users)  # ok: the whole unit of work runs in a thread


async def build_statement(name: str):
    return select(User).where(User.name == name)  # ok: a statement in memory
