# feature: aws-sdk-sync
"""Uploads to S3 with boto3 from async handlers."""

import asyncio

import boto3
from botocore.client import BaseClient

BUCKET = "relay-uploads"
S3 = boto3.client("s3")  # ok: module-level code runs at import


async def upload(key: str, body: bytes) -> None:
    boto3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=body)  # expect: BIO601


async def presign(client: BaseClient, key: str) -> str:
    return client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key})  # ok: signing is local


async def head(client: BaseClient, key: str) -> dict:
    return client.head_object(Bucket=BUCKET, Key=key)  # expect: BIO601


async def upload_offloaded(key: str, body: bytes) -> None:
    await asyncio.to_thread(S3.put_object, Bucket=BUCKET, Key=key, Body=body)  # ok: offloaded by reference
