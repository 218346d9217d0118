"""``python -m relay``: run the agent relay gateway."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import replace
from pathlib import Path

from .app import Relay, create_app
from .settings import Settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m relay", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--data-dir", type=Path, help="overrides RELAY_DATA_DIR")
    parser.add_argument("--skills-dir", type=Path, help="overrides RELAY_SKILLS_DIR")
    parser.add_argument("--tools", type=Path, help="tools.json manifest")
    parser.add_argument("--api-keys", type=Path, help="file with one API key per line")
    parser.add_argument("--access-log", type=Path, help="append JSON access log lines here")
    parser.add_argument("--webhook-url", help="POST session events to this URL")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    overrides: dict[str, object] = {}
    if args.data_dir is not None:
        overrides["data_dir"] = args.data_dir
        if args.skills_dir is None:
            overrides["skills_dir"] = args.data_dir / "skills"
    if args.skills_dir is not None:
        overrides["skills_dir"] = args.skills_dir
    if args.tools is not None:
        overrides["tools_manifest"] = args.tools
    if args.api_keys is not None:
        overrides["api_keys_file"] = args.api_keys
    if args.access_log is not None:
        overrides["access_log"] = args.access_log
    if args.webhook_url:
        overrides["webhook_url"] = args.webhook_url
    return replace(settings, **overrides)  # type: ignore[arg-type]


async def serve(relay: Relay, host: str, port: int) -> None:
    try:
        await relay.app.serve(host, port)
    finally:
        if relay.notifier is not None:
            await relay.notifier.drain()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    relay = create_app(settings_from(args))  # blocking start-up IO, before the loop runs
    try:
        asyncio.run(serve(relay, args.host, args.port))
    except KeyboardInterrupt:
        pass
    finally:
        if relay.access_log is not None:
            relay.access_log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
