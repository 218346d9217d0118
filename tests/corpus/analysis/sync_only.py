# feature: sync-only
"""Code reachable only from sync entry points (CLI, threads, tests) is never a finding."""

import argparse
import json
import shutil
import subprocess
from pathlib import Path

DATA = Path("/var/lib/agent")


def migrate() -> None:
    for old in sorted(DATA.glob("*.v1.json")):  # ok: CLI only
        old.rename(old.with_suffix(".v2.json"))  # ok: CLI only


def backup(dest: Path) -> None:
    shutil.copytree(DATA, dest)  # ok: CLI only
    subprocess.run(["sync"], check=True)  # ok: CLI only


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())  # ok: reported at the async call site only


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["migrate", "backup"])
    args = parser.parse_args()
    if args.command == "migrate":
        migrate()  # ok: sync entry point
    else:
        backup(Path("/srv/backup"))  # ok: sync entry point
    print(load("settings.json"))  # ok: sync entry point


async def settings() -> dict:
    return load("settings.json")  # expect: BIO102


if __name__ == "__main__":
    main()  # ok: module-level code runs at import
