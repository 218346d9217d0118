# feature: http-client-connection
"""A health checker using http.client directly."""

import http.client


async def check(host: str) -> int:
    conn = http.client.HTTPSConnection(host, timeout=5)  # ok: constructing does not connect
    conn.request("GET", "/healthz")  # expect: BIO405
    resp = conn.getresponse()  # expect: BIO405
    return resp.status


async def check_plain(conn: http.client.HTTPConnection) -> None:
    conn.connect()  # expect: BIO405
    conn.close()  # ok: close does not wait
