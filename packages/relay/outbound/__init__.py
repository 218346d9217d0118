"""Outbound HTTP: webhook client (urllib.request) and the background notifier."""

from .client import DeliveryResult, WebhookClient, WebhookError
from .notifier import WebhookNotifier

__all__ = ["DeliveryResult", "WebhookClient", "WebhookError", "WebhookNotifier"]
