# feature: alias-import
"""Blocking stdlib functions reached through aliased imports."""

import os.path as osp
import shutil as sh
import subprocess as sp
from os import path as ospath
from os import remove as delete_file
from pathlib import Path as P
from time import sleep as pause

import requests as http


async def cleanup(path: str) -> None:
    if osp.exists(path):  # expect: BIO106
        delete_file(path)  # expect: BIO110


async def copy(src: str, dst: str) -> None:
    sh.copyfile(src, dst)  # expect: BIO111


async def version() -> str:
    return sp.check_output(["uname", "-r"], text=True)  # expect: BIO201


async def size(path: str) -> int:
    return ospath.getsize(path)  # expect: BIO106


async def read(path: str) -> str:
    return P(path).read_text()  # expect: BIO102


async def ping(url: str) -> int:
    pause(0.1)  # expect: BIO301
    return http.get(url).status_code  # expect: BIO406


async def names(path: str) -> str:
    return osp.join(osp.dirname(path), "x")  # ok: string operations
