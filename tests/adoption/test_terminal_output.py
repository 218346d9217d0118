"""What the terminal shows (issue 20, item 8), on a real project with long paths and names:

- `--output-format full|concise` (ruff's option and names; `--format` and `text` still work);
- no table breaks a path, an identifier or a number in the middle at 80, 100 or 160 columns
  or piped: each is shown whole, or cut with "…", never folded onto the next line;
- COLUMNS is honoured when piped; NO_COLOR, FORCE_COLOR and `--color` decide color;
- a step that runs longer than about 2 s shows progress on a terminal (the teeth check).
"""

from __future__ import annotations

import itertools
import json
import os
import pty
import re
import subprocess
import threading

import pytest
from adoption_support import BIN, clean_env, run_pytest, write

MODULE = "src/acme_payments/integrations/provider_webhooks/outbound_delivery_queue.py"
PROJECT = {
    "pyproject.toml": """
        [tool.blocking-io]
        source-roots = ["src"]
        scanned-modules = ["acme_payments"]
    """,
    "src/acme_payments/__init__.py": "",
    "src/acme_payments/integrations/__init__.py": "",
    "src/acme_payments/integrations/provider_webhooks/__init__.py": "",
    MODULE: """
        import asyncio
        import json
        import time
        from pathlib import Path


        def persist_delivery_attempt_to_the_local_journal(path, payload):
            Path(path).write_text(json.dumps(payload))


        class OutboundWebhookDeliveryQueueProcessor:
            async def deliver_pending_notifications_to_subscribers(self, path):
                persist_delivery_attempt_to_the_local_journal(path, {"n": 1})

            async def retry_failed_deliveries_with_exponential_backoff(self):
                time.sleep(0.5)

            async def archive_delivered_notifications_for_compliance(self, path):
                return Path(path).read_text()

            async def offload_the_journal_write_to_a_worker_thread(self, path):
                await asyncio.to_thread(persist_delivery_attempt_to_the_local_journal, path, {})
    """,
    "tests/blocking_io/test_outbound_delivery_queue_processor_end_to_end.py": """
        import asyncio
        import time

        from acme_payments.integrations.provider_webhooks.outbound_delivery_queue import (
            OutboundWebhookDeliveryQueueProcessor,
        )


        def test_offloaded_journal_writes_keep_the_event_loop_free(tmp_path):
            time.sleep(2.5)  # a slow anchor (off the loop): the teeth check runs over 2 s
            processor = OutboundWebhookDeliveryQueueProcessor()
            asyncio.run(
                processor.offload_the_journal_write_to_a_worker_thread(tmp_path / "j.json")
            )
    """,
}

ATOMS = [
    f"{MODULE}:14",
    f"{MODULE}:17",
    f"{MODULE}:20",
    "src/acme_payments/",
    "OutboundWebhookDeliveryQueueProcessor.deliver_pending_notifications_to_subscribers",
    "acme_payments.integrations.provider_webhooks.outbound_delivery_queue."
    "OutboundWebhookDeliveryQueueProcessor.retry_failed_deliveries_with_exponential_backoff",
    "BIO103",
    "BIO301",
    "BIO102",
    "path-write",
    "sync-sleep",
    "unguarded",
    "entry-anchored",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = write(tmp_path_factory.mktemp("terminal") / "acme", PROJECT)
    assert run_cli(root, "detect", "--format", "json").returncode == 1
    anchors = run_pytest(root, "tests/blocking_io", "--blocking-io-report")
    assert anchors.returncode == 0, anchors.stdout + anchors.stderr
    return root


def run_cli(root, *args, **env):
    base = clean_env(**env)
    if "COLUMNS" in env and env["COLUMNS"] is None:
        base.pop("COLUMNS")
    return subprocess.run(
        [str(BIN / "blocking-io"), *args],
        cwd=root, capture_output=True, text=True, check=False, timeout=300, env=base,
    )  # fmt: skip


def folded(output: str, atom: str) -> list[str]:
    """Places where `atom` is broken across two lines: a line's cell ends with its start and
    the next line continues it at the same column."""
    lines = output.splitlines()
    out = []
    for upper, lower in itertools.pairwise(lines):
        for cut in range(1, len(atom)):
            head, tail = atom[:cut], atom[cut:]
            at = upper.find(head)
            while at != -1:
                end = at + cut
                if (end >= len(upper) or upper[end] == " ") and lower.startswith(tail, at):
                    out.append(f"{upper!r} / {lower!r}")
                at = upper.find(head, at + 1)
    return out


def shown(output: str, atom: str) -> bool:
    """Whole on one line, or cut with "…" on one line."""
    if any(atom in line for line in output.splitlines()):
        return True
    return any(
        re.search(re.escape(atom[:cut]) + "…", line)
        for line in output.splitlines()
        for cut in range(len(atom))
    )


WIDTHS = ["80", "100", "160", None]  # None: piped without COLUMNS (160)


@pytest.mark.parametrize("columns", WIDTHS, ids=lambda c: f"COLUMNS={c or 'unset'}")
@pytest.mark.parametrize(
    "command",
    [("gaps",), ("detect", "--format", "summary", "--no-report"), ("rules",)],
    ids=lambda c: " ".join(c[:3]),
)
def test_tables_never_break_a_path_an_identifier_or_a_number(project, command, columns):
    done = run_cli(project, *command, COLUMNS=columns)
    assert done.returncode in (0, 1), done.stderr
    width = int(columns or 160)
    atoms = ATOMS if command[0] != "rules" else ["BIO101", "sync-file-open", "file-enumeration"]
    for atom in atoms:
        if atom not in done.stdout.replace("…", "") and not shown(done.stdout, atom):
            continue  # not in this command's output at all
        assert not folded(done.stdout, atom), (atom, folded(done.stdout, atom))
    for line in done.stdout.splitlines():
        # tables fit the width; free text (a command to copy, a headline) is never cut
        if line.startswith(("  ", "blocking-io", "Report:", "Found", "Next")) or " " not in line:
            continue
        assert len(line) <= width or "anchor new" in line, (len(line), line)
    if command[0] == "gaps":
        for atom in ATOMS[:3]:
            assert shown(done.stdout, atom), atom


def test_piped_output_honours_columns(project):
    narrow = run_cli(project, "gaps", COLUMNS="80").stdout
    wide = run_cli(project, "gaps", COLUMNS="160").stdout
    assert narrow != wide
    assert max(len(line) for line in narrow.splitlines() if "─" in line) <= 80
    assert max(len(line) for line in wide.splitlines() if "─" in line) > 100


def test_full_and_concise_output_formats(project):
    full = run_cli(project, "detect", "--output-format", "full", "--no-report")
    assert full.returncode == 1
    first = next(line for line in full.stdout.splitlines() if line.startswith("src/"))
    assert re.fullmatch(rf"{re.escape(MODULE)}:\d+:\d+: BIO\d+ `[^`]+` [^\[]+", first), first
    assert run_cli(project, "detect", "--format", "text", "--no-report").stdout == full.stdout

    concise = run_cli(project, "detect", "--output-format", "concise", "--no-report")
    assert concise.returncode == 1
    lines = concise.stdout.splitlines()
    findings = [line for line in lines if line.startswith(MODULE)]
    assert len(findings) == 3 and lines[-1].startswith("Found 3 findings")
    for line in findings:
        assert re.fullmatch(rf"{re.escape(MODULE)}:\d+:\d+: BIO\d+ .+", line)
        assert "[P" not in line and "via " not in line
    assert run_cli(project, "detect", "-f", "concise", "--no-report").stdout == concise.stdout


@pytest.mark.parametrize(
    ("env", "option", "colored"),
    [
        ({}, (), False),  # piped: no color
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, (), True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, (), False),  # NO_COLOR wins over FORCE_COLOR
        ({}, ("--color", "always"), True),
        ({"FORCE_COLOR": "1", "NO_COLOR": ""}, ("--color", "never"), False),
    ],
)
def test_color_follows_no_color_force_color_and_the_option(project, env, option, colored):
    for command in (("detect", "--no-report"), ("gaps", "--no-report"), ("rules",)):
        done = run_cli(project, *command, *option, **env)
        assert ("\x1b[" in done.stdout) is colored, (command, env, option)


def _drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into.extend(chunk)


def test_a_long_teeth_check_shows_progress_on_a_terminal_and_nothing_when_piped(project):
    master, slave = pty.openpty()
    env = clean_env(TERM="xterm", COLUMNS="100")
    env.pop("NO_COLOR")
    with subprocess.Popen(
        [str(BIN / "blocking-io"), "teeth", "--format", "json"],
        cwd=project, stdin=slave, stdout=subprocess.PIPE, stderr=slave, env=env,
    ) as proc:  # fmt: skip
        os.close(slave)
        terminal = bytearray()
        reader = threading.Thread(target=_drain, args=(master, terminal), daemon=True)
        reader.start()
        out = proc.stdout.read()
        assert proc.wait(timeout=300) == 0
        reader.join(timeout=10)
    os.close(master)
    # the anchor alone takes 2.5 s: the step outlived the 2 s delay and said what it does
    assert b"checking offloads" in terminal, bytes(terminal)
    report = json.loads(out)
    assert [site["outcome"] for site in report["sites"]] == ["has-teeth"]

    piped = run_cli(project, "teeth", "--format", "json")
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == ""


def test_help_names_the_output_formats_as_ruff_does():
    done = subprocess.run(
        [str(BIN / "blocking-io"), "detect", "--help"],
        capture_output=True, text=True, check=False, env=clean_env(COLUMNS="120"),
    )  # fmt: skip
    text = " ".join(done.stdout.replace("\u2502", " ").split())
    assert "--output-format" in text and "--format" in text
    assert "possible values: full, concise, text, summary, json, sarif, github" in text
