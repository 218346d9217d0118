# feature: serial-port-io
"""A lab-device gateway talking to instruments over pyserial from async handlers."""

import asyncio

import serial

PORT = serial.Serial()  # ok: module level, and no port given: nothing is opened


async def connect(device: str) -> serial.Serial:
    return serial.Serial(device, 9600, timeout=1)  # expect: BIO704


async def query(port: serial.Serial, command: bytes) -> bytes:
    port.write(command)  # expect: BIO704
    return port.readline()  # expect: BIO704


async def drain(port: serial.Serial) -> bytes:
    return port.read(64)  # expect: BIO704


def exchange(command: bytes) -> bytes:
    PORT.write(command)  # ok: runs in a worker thread
    return PORT.read_until(b"\n")  # ok: runs in a worker thread


async def query_offloaded(command: bytes) -> bytes:
    return await asyncio.to_thread(exchange, command)  # ok: offloaded by reference
