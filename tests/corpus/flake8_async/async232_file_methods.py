# feature: async232
"""flake8-async ASYNC232 (blocking methods on file objects), translated. We report the read
and write methods (BIO104 / BIO105), not every attribute of a file object."""

import io
from io import BufferedRandom, BufferedReader, BufferedWriter, TextIOWrapper
from typing import Optional


async def file_text(f: io.TextIOWrapper):
    f.read()  # expect: BIO104
    f.readlines()  # expect: BIO104
    f.fileno()  # ok: no IO (ASYNC232 flags every method)
    f.seekable()  # ok: no IO


async def file_binary_read(f: io.BufferedReader):
    f.read()  # expect: BIO104


async def file_binary_write(f: io.BufferedWriter):
    f.write(b"x")  # expect: BIO105


async def file_binary_readwrite(f: io.BufferedRandom):
    f.read()  # expect: BIO104


async def file_text_imported(f: TextIOWrapper):
    f.read()  # expect: BIO104


async def file_binary_read_imported(f: BufferedReader):
    f.read()  # expect: BIO104


async def file_binary_write_imported(f: BufferedWriter):
    f.flush()  # expect: BIO105


async def file_binary_readwrite_imported(f: BufferedRandom):
    f.read()  # expect: BIO104


async def file_text_optional(f: TextIOWrapper | None):
    f.read()  # expect: BIO104
    if f:
        f.read()  # expect: BIO104


async def file_text_optional_left(f: None | TextIOWrapper = None):
    if f:
        f.read()  # expect: BIO104


async def file_text_typing_optional(f: Optional[TextIOWrapper] = None):
    if f:
        f.read()  # expect: BIO104


async def file_text_positional_only(f: TextIOWrapper, /):
    f.read()  # expect: BIO104


async def file_text_keyword_only(*, f: TextIOWrapper):
    f.read()  # expect: BIO104


async def open_file_unused(path: str):
    with open(path):  # expect: BIO101
        pass


async def open_file_printed(path: str):
    with open(path) as f:  # expect: BIO101
        print(f)  # ok: not a file method


async def open_file_read(path: str):
    with open(path) as f:  # expect: BIO101
        f.read()  # listed: BIO104


async def open_file_assigned(path: str):
    f = open(path)  # expect: BIO101
    f.read()  # listed: BIO104


async def open_file_aliased(path: str):
    ff = open(path)  # expect: BIO101
    f = ff
    f.read()  # expect: BIO104
    ff.read()  # listed: BIO104


async def unknown_factory(blah, path: str):
    with blah(path) as f:  # ok: unknown callable
        f.read()  # ok: unknown receiver


def sync_fun(f: TextIOWrapper):
    async def async_fun():
        f.read()  # expect: BIO104

    return async_fun


async def nested_sync_def(f: TextIOWrapper):
    def inside(g: int):
        return g + 1  # ok: pure

    f.read()  # expect: BIO104
    return inside


class Holder:
    x: TextIOWrapper

    def __init__(self, path: str) -> None:
        self.y: TextIOWrapper = open(path)  # ok: __init__ runs at start-up, not from the loop

    async def read_x(self):
        return self.x.read()  # expect: BIO104

    async def read_y(self):
        return self.y.read()  # expect: BIO104


def return_textiowrapper(path: str) -> TextIOWrapper:
    return open(path)  # ok: reported at the async call site


async def call_function_with_return_type(path: str):
    k = return_textiowrapper(path)  # expect: BIO101
    k.read()  # expect: BIO104


async def tuple_assign(a: str, b: str):
    x, y = open(a), open(b)  # expect: BIO101
    return x, y


async def in_memory(data: bytes):
    buf = io.BytesIO(data)  # ok: in-memory buffer
    return buf.read()  # ok: BytesIO reads memory
