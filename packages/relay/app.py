"""Composition root: build every component from ``Settings`` and wire the routes and hooks.

``create_app`` is synchronous and does its IO (directories, schema migration, reading the
tools manifest and the API keys) before the event loop starts, the way ``relay.__main__``
calls it. Nothing here runs on the loop.
"""

from __future__ import annotations

from dataclasses import dataclass

from .framework import App
from .gateway.events import EventHandler
from .gateway.health import HealthHandler
from .gateway.hooks import AccessLogHook, AuthHook, LifecycleHooks, RequestIdHook
from .gateway.housekeeping import Housekeeper
from .gateway.ratelimit import RateLimiter
from .gateway.sessions import SessionHandler
from .gateway.skills import SkillHandler
from .gateway.tools import ToolHandler
from .gateway.uploads import UploadHandler
from .metrics import Metrics
from .outbound.client import WebhookClient
from .outbound.notifier import WebhookNotifier
from .plugins.skills import SkillLoader
from .settings import Settings
from .storage.accesslog import AccessLog
from .storage.config import ConfigFile
from .storage.db import SessionDB
from .storage.deadletters import DeadLetterBox
from .storage.events import EventStore
from .storage.uploads import UploadStore
from .tools.runner import ToolRegistry, ToolRunner


@dataclass
class Relay:
    """The app plus the components tests and operators need to reach directly."""

    app: App
    settings: Settings
    db: SessionDB
    events: EventStore
    uploads: UploadStore
    metrics: Metrics
    sessions: SessionHandler
    upload_handler: UploadHandler
    event_handler: EventHandler
    skills: SkillHandler
    tools: ToolHandler
    health: HealthHandler
    housekeeper: Housekeeper
    notifier: WebhookNotifier | None = None
    access_log: AccessLog | None = None


def create_app(settings: Settings) -> Relay:
    for directory in (
        settings.data_dir,
        settings.events_dir,
        settings.workspaces_dir,
        settings.uploads_dir,
        settings.dead_letters_dir,
    ):
        directory.mkdir(parents=True, exist_ok=True)

    metrics = Metrics(journal=settings.data_dir / "tool-runs.log")
    db = SessionDB(settings.db_path)
    db.migrate()
    events = EventStore(settings.events_dir)
    uploads = UploadStore(settings.uploads_dir)

    webhooks: WebhookClient | None = None
    notifier: WebhookNotifier | None = None
    if settings.webhook_url:
        webhooks = WebhookClient(settings.webhook_url, secret=settings.webhook_secret or None)
        notifier = WebhookNotifier(webhooks, DeadLetterBox(settings.dead_letters_dir), metrics)

    registry = (
        ToolRegistry.from_file(settings.tools_manifest)
        if settings.tools_manifest
        else ToolRegistry()
    )
    runner = ToolRunner(settings.workspaces_dir, metrics)

    sessions = SessionHandler(db, events, settings.workspaces_dir)
    upload_handler = UploadHandler(uploads, max_bytes=settings.max_upload_bytes)
    event_handler = EventHandler(events, notifier)
    skills = SkillHandler(SkillLoader(settings.skills_dir))
    tools = ToolHandler(registry, runner, metrics)
    health = HealthHandler(db, metrics, settings.data_dir, webhooks)

    app = App("relay", max_body=settings.max_upload_bytes + 64 * 1024)
    app.route("GET", "/health", health.health)
    app.route("GET", "/ready", health.ready)
    app.route("POST", "/sessions", sessions.create)
    app.route("GET", "/sessions", sessions.index)
    app.route("GET", "/sessions/{session_id}", sessions.show)
    app.route("DELETE", "/sessions/{session_id}", sessions.delete)
    app.route("POST", "/sessions/{session_id}/restore", sessions.restore)
    app.route("POST", "/sessions/{session_id}/export", sessions.export)
    app.route("POST", "/sessions/{session_id}/events", event_handler.append)
    app.route("GET", "/sessions/{session_id}/events", event_handler.tail)
    app.route("GET", "/sessions/{session_id}/uploads", upload_handler.index)
    app.route("PUT", "/sessions/{session_id}/uploads/{name}", upload_handler.put)
    app.route("GET", "/sessions/{session_id}/uploads/{name}", upload_handler.download)
    app.route("GET", "/skills", skills.index)
    app.route("GET", "/skills/{name}", skills.show)
    app.route("GET", "/tools", tools.index)
    app.route("POST", "/tools/{name}/run", tools.run)

    limiter = RateLimiter()
    api_keys: ConfigFile | None = None
    if settings.api_keys_file is not None:
        api_keys = ConfigFile(settings.api_keys_file)
        api_keys.load()
    housekeeper = Housekeeper(api_keys, limiter, interval=settings.housekeeping_interval)

    lifecycle = LifecycleHooks(housekeeper)
    app.hooks.add("on_startup", lifecycle.on_startup)
    app.hooks.add("on_shutdown", lifecycle.on_shutdown)
    request_ids = RequestIdHook()
    app.hooks.add("on_request", request_ids.on_request)
    app.hooks.add("on_response", request_ids.on_response)
    if api_keys is not None:
        app.hooks.add("on_request", AuthHook(api_keys, limiter).on_request)
    access_log: AccessLog | None = None
    if settings.access_log is not None:
        access_log = AccessLog(settings.access_log)
        app.hooks.add("on_response", AccessLogHook(access_log).on_response)

    return Relay(
        app=app,
        settings=settings,
        db=db,
        events=events,
        uploads=uploads,
        metrics=metrics,
        sessions=sessions,
        upload_handler=upload_handler,
        event_handler=event_handler,
        skills=skills,
        tools=tools,
        health=health,
        housekeeper=housekeeper,
        notifier=notifier,
        access_log=access_log,
    )
