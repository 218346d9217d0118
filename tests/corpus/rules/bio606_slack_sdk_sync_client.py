# feature: slack-sdk-sync-client
"""Alerts to Slack from async workers: WebClient on the loop, and AsyncWebClient."""

import asyncio

from slack_sdk import WebClient, WebhookClient
from slack_sdk.web.async_client import AsyncWebClient

SLACK = WebClient(token="xoxb-test")
ASLACK = AsyncWebClient(token="xoxb-test")
HOOK = WebhookClient("https://hooks.slack.com/services/T/B/X")


async def alert(channel: str, text: str) -> None:
    SLACK.chat_postMessage(channel=channel, text=text)  # expect: BIO606


async def history(channel: str) -> list:
    return SLACK.conversations_history(channel=channel)["messages"]  # expect: BIO606


async def webhook(text: str) -> int:
    return HOOK.send(text=text).status_code  # expect: BIO606


async def alert_async(channel: str, text: str) -> None:
    await ASLACK.chat_postMessage(channel=channel, text=text)  # ok: AsyncWebClient methods are coroutines


async def alert_offloaded(channel: str, text: str) -> None:
    await asyncio.to_thread(SLACK.chat_postMessage, channel=channel, text=text)  # ok: offloaded by reference
