# feature: ssl-cert-load
"""mTLS clients that build their SSL contexts inside request handlers."""

import asyncio
import ssl

CA_FILE = "/etc/relay/ca.pem"
CERT_FILE = "/etc/relay/client.pem"
KEY_FILE = "/etc/relay/client.key"
SHARED_CONTEXT = ssl.create_default_context(cafile=CA_FILE)  # ok: module-level code runs at import


async def open_upstream(host: str, port: int):
    ctx = ssl.create_default_context(cafile=CA_FILE)  # expect: BIO411
    return await asyncio.open_connection(host, port, ssl=ctx)


async def mtls_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # ok: an empty context reads nothing
    ctx.load_cert_chain(CERT_FILE, KEY_FILE)  # expect: BIO411
    ctx.load_verify_locations(cafile=CA_FILE)  # expect: BIO411
    return ctx


async def system_trust(ctx: ssl.SSLContext) -> None:
    ctx.load_default_certs()  # expect: BIO411
    ctx.set_default_verify_paths()  # expect: BIO411


async def open_upstream_shared(host: str, port: int):
    return await asyncio.open_connection(host, port, ssl=SHARED_CONTEXT)  # ok: the context was built at start-up


async def open_upstream_offloaded(host: str, port: int):
    ctx = await asyncio.to_thread(ssl.create_default_context, cafile=CA_FILE)  # ok: offloaded by reference
    return await asyncio.open_connection(host, port, ssl=ctx)


async def harden(ctx: ssl.SSLContext) -> None:
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # ok: an attribute, no IO
    ctx.set_ciphers("ECDHE+AESGCM")  # ok: configures the context in memory
