# feature: mixin-after-external-base
"""A class whose first base is external (not read: `requests.Session`, as docker's
`APIClient(requests.Session, BuildApiMixin, ...)`) and whose methods come from mixins listed
after it: the method is the mixin's. A standard-library base (a C type may have any member)
or one the type table says has the member comes first, as Python's MRO says."""

import io

import requests


class BuildMixin:
    def build(self, path: str) -> str:
        with open(path) as fh:  # ok: reported at the async call site
            return fh.read()


class ApiClient(requests.Session, BuildMixin):
    def version(self) -> str:
        return "1.0"


async def build_image(client: ApiClient, path: str) -> str:
    return client.build(path)  # expect: BIO101


async def build_through_self(path: str) -> str:
    client = ApiClient()
    return client.build(path)  # expect: BIO101


class DiskMixin:
    def getvalue(self) -> str:
        with open("/var/lib/app/state") as fh:  # ok: StringIO.getvalue comes first in the MRO
            return fh.read()


class Buffer(io.StringIO, DiskMixin):
    pass


async def snapshot(buf: Buffer) -> str:
    return buf.getvalue()  # ok: io.StringIO.getvalue (an in-memory buffer) is what runs
