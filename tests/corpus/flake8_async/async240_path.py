# feature: async240
"""flake8-async ASYNC240 (os.path / pathlib in async functions), translated. We flag only the
calls that touch the file system: normpath / relpath / join are string operations, and
abspath / realpath belong to the opt-in BIO107."""

import os.path
from os.path import isfile, normpath, relpath


async def string_operations(path: str):
    normpath(path)  # ok: string operation (ASYNC240 flags it)
    relpath(path)  # ok: string operation, BIO107-class at most (ASYNC240 flags it)
    os.path.normpath(path)  # ok: string operation (ASYNC240 flags it)
    os.path.relpath(path, "/srv")  # ok: string operation (ASYNC240 flags it)
    os.path.join("/srv", path)  # ok: string operation
    os.path.basename(path)  # ok: string operation
    os.path.splitext(path)  # ok: string operation


async def file_system(path: str, other: str):
    isfile(path)  # expect: BIO106
    os.path.islink(path)  # expect: BIO106
    os.path.lexists(path)  # expect: BIO106
    os.path.ismount(path)  # expect: BIO106
    os.path.exists(path)  # expect: BIO106
    os.path.isdir(path)  # expect: BIO106
    os.path.isfile(path)  # expect: BIO106
    os.path.getatime(path)  # expect: BIO106
    os.path.getctime(path)  # expect: BIO106
    os.path.getmtime(path)  # expect: BIO106
    os.path.getsize(path)  # expect: BIO106
    os.path.samefile(path, other)  # expect: BIO106
    print(os.path.isfile(path))  # expect: BIO106


async def opt_in(path: str):
    os.path.realpath(path)  # ok: BIO107 is opt-in (ASYNC240 flags it)
    os.path.abspath(path)  # ok: BIO107 is opt-in


def sync_fun(path: str):
    os.path.isfile(path)  # ok: sync function
