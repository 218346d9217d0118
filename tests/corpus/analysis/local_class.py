# feature: receiver-type
"""A class defined inside a function names its bases in that function's scope: here a
module the method imports locally. Its instances are the base's (an http.client
connection), without astroid."""


class Shim:
    def remote(self, body: bytes) -> bytes:
        import http.client

        class UnixConnection(http.client.HTTPConnection):
            def __init__(self, path: str) -> None:
                super().__init__("localhost")
                self.unix_path = path

        conn = UnixConnection("/tmp/app.sock")
        conn.request("POST", "/", body=body)
        return conn.getresponse().read()

    def buffered(self, body: bytes) -> bytes:
        import io

        class Buffer(io.BytesIO):
            def __init__(self) -> None:
                super().__init__(b"")

        buffer = Buffer()
        buffer.write(body)  # ok: an in-memory buffer
        return buffer.getvalue()


async def forward(body: bytes) -> bytes:
    return Shim().remote(body)  # expect: BIO405


async def pack(body: bytes) -> bytes:
    return Shim().buffered(body)  # ok: builds a buffer in memory
