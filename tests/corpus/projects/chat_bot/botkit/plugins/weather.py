# feature: framework-hook
"""Weather plugin: a hook without IO and a helper that is not a hook."""

import requests


def on_message(text: str) -> str | None:
    return "☀" if "weather" in text else None  # ok: the hook does no IO


def fetch_forecast(city: str) -> dict:
    return requests.get(f"https://wttr.in/{city}?format=j1").json()  # ok: not a hook, never called from the loop


async def on_schedule() -> dict:
    return fetch_forecast("Berlin")  # expect: BIO406
