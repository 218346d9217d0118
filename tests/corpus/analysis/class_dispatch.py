# feature: class-dispatch
"""A receiver typed by a base class whose method is a stub (`@abstractmethod`, `...`,
`pass`, `raise NotImplementedError`): the overrides in the program run, and the chain
names the implementation. A concrete method resolves to itself."""

import abc
import subprocess
import time
from typing import Protocol

import requests


class Sandbox(abc.ABC):
    @abc.abstractmethod
    def acquire(self) -> str: ...

    def label(self) -> str:
        return "sandbox"  # ok: concrete: resolves to itself, not to overrides


class RemoteSandbox(Sandbox):
    def acquire(self) -> str:
        return self._wait_ready()

    def _wait_ready(self) -> str:
        return requests.get("http://sandbox.internal/ready").text  # ok: reported at the async call site

    def label(self) -> str:
        time.sleep(0.1)  # ok: Sandbox.label is concrete, this override is not what runs statically
        return "remote"


class Installer:
    def install(self, requirement: str) -> int:
        raise NotImplementedError


class PipInstaller(Installer):
    def install(self, requirement: str) -> int:
        return subprocess.call(["pip", "install", requirement])  # ok: reported at the async call site


class Cache(Protocol):
    def get(self, key: str) -> str: ...


class DictCache(Cache):
    def get(self, key: str) -> str:
        return {"a": "b"}.get(key, "")  # ok: in memory


class Settings:
    def sandbox(self) -> Sandbox:
        raise NotImplementedError  # the class is chosen from configuration


async def start(settings: Settings) -> str:
    return settings.sandbox().acquire()  # expect: BIO406


async def describe(sandbox: Sandbox) -> str:
    return sandbox.label()  # ok: a concrete base method


async def add_tool(installer: Installer, requirement: str) -> int:
    return installer.install(requirement)  # expect: BIO201


async def lookup(cache: Cache, key: str) -> str:
    return cache.get(key)  # ok: the only implementation is in memory


class Uploader(Protocol):
    def upload(self, name: str) -> None: ...

    def close(self) -> None: ...


class DiskUploader:  # implements Uploader structurally, without naming it
    def upload(self, name: str) -> None:
        with open(f"/srv/uploads/{name}", "wb"):  # ok: reported at the async call site
            pass

    def close(self) -> None:
        pass


class HalfUploader:  # no close(): not an Uploader
    def upload(self, name: str) -> None:
        time.sleep(1)  # ok: HalfUploader is not an Uploader


async def store(uploader: Uploader, name: str) -> None:
    uploader.upload(name)  # expect: BIO101


class Ticker(Protocol):
    def tick(self) -> None: ...


class SleepyClock:  # has tick(), never claims to be a Ticker
    def tick(self) -> None:
        time.sleep(1)  # ok: one shared method name is no evidence of a Ticker


async def advance(ticker: Ticker) -> None:
    ticker.tick()  # ok: a one-method protocol is not matched structurally
