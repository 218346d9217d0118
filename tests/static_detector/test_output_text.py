"""`--output-format full` (and its old name `text`) and `concise`: what a user reads in a
terminal or a CI log, line by line."""

from __future__ import annotations

import re

from blocking_io.shared_rules.reports import ChainStep
from test_output_render import (
    API,
    EXPORT,
    FILES,
    HOOKS,
    REGISTRY,
    SLEEP,
    WRITE,
    empty_report,
    make_finding,
    sample_report,
)

from blocking_io.cli.console.findings import OutputFormat, render

ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def text(report=None, color=False) -> str:
    return render(report or sample_report(), OutputFormat.text, REGISTRY, color=color)


def block(output: str, header_prefix: str) -> list[str]:
    """The lines of the finding block whose header starts with `header_prefix`."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_prefix))
    end = lines.index("", start)
    return lines[start:end]


def test_a_transitive_finding_shows_the_chain_from_the_entry_point_down_to_the_primitive():
    assert block(text(), f"{FILES}:17:") == [
        f"{FILES}:17:5: BIO103 `pathlib.Path.write_text` writes a whole file "
        "synchronously on the event loop",
        "    medium, transitive, request, P2",
        f"    via relay.gateway.api.create_session ({API}:20)",
        "    via relay.gateway.sessions.create (packages/relay/gateway/sessions.py:42)",
        f"    via relay.storage.files.save_blob ({FILES}:17)",
        f"    -> pathlib.Path.write_text ({FILES}:17)",
        "    also reached from relay.gateway.api.restore_session",
        f"    fix: {WRITE.fix}",
    ]


def test_a_direct_finding_names_its_async_function_and_the_primitive():
    assert block(text(), f"{API}:55:") == [
        f"{API}:55:9: BIO301 `time.sleep` sleeps synchronously, freezing the event loop",
        "    high, direct, request, P1",
        f"    via relay.gateway.api.retry_upstream ({API}:55)",
        f"    -> time.sleep ({API}:55)",
        f"    fix: {SLEEP.fix}",
    ]


def test_a_loop_callback_chain_starts_at_the_code_that_schedules_the_callback():
    lines = block(text(), f"{HOOKS}:31:")
    assert lines[2:5] == [
        "    via relay.workers.scheduler.Scheduler.run (packages/relay/workers/scheduler.py:64)",
        f"    via relay.workers.hooks.on_job_done ({HOOKS}:31)",
        f"    -> requests.get ({HOOKS}:31)",
    ]


def test_columns_are_one_based_like_ruff_and_editors():
    # ast's col_offset 13 is the 14th character: the report's column, and the text's
    assert f"{EXPORT}:9:14: BIO106 `" in text()


def test_unicode_and_spaces_in_paths_and_names_are_printed_as_they_are():
    lines = block(text(), f"{EXPORT}:9:")
    assert "    via export.écrire_résumé (packages/relay/données utilisateur/export.py:9)" in lines


def test_findings_are_listed_by_priority_then_path_line_column_and_rule():
    output = text()
    headers = [line for line in output.splitlines() if re.match(r"^\S+.*:\d+:\d+: BIO", line)]
    locations = [re.match(r"^(.*):(\d+):(\d+): (BIO\d+)", h).groups() for h in headers]
    priorities = [int(p) for p in re.findall(r"^    \w+, [\w-]+, \w+, P(\d)", output, re.M)]
    keys = [
        (priority, p, int(line), int(col), rule)
        for priority, (p, line, col, rule) in zip(priorities, locations, strict=True)
    ]
    assert keys == sorted(keys)
    assert len(keys) == 6
    assert priorities[0] == 1 and priorities[-1] > 1  # what to fix first leads


def test_two_findings_on_one_line_are_ordered_by_column_then_rule():
    a = make_finding("time.sleep", API, 5, 30, "m.f", [("m.f", API, 5)], exposure="direct")
    b = make_finding("os.stat", API, 5, 4, "m.f", [("m.f", API, 5)], exposure="direct")
    c = make_finding(
        "pathlib.Path.read_text", API, 5, 4, "m.f", [("m.f", API, 5)], exposure="direct"
    )
    output = render(sample_report([a, b, c], errors=[], unused=[]), OutputFormat.concise, REGISTRY)
    headers = [line.split(" `")[0] for line in output.splitlines() if line.startswith(API)]
    assert headers == [f"{API}:5:5: BIO102", f"{API}:5:5: BIO106", f"{API}:5:31: BIO301"]


def test_suppressed_findings_are_counted_but_not_listed():
    output = text()
    assert "packages/relay/config.py" not in output
    assert "; 1 suppressed;" in output.splitlines()[-1]


def test_the_last_line_is_the_tally():
    assert text().splitlines()[-1] == (
        "Found 6 findings (3 high, 2 medium, 1 low); 1 suppressed; 1 unused suppression; "
        "2 files with errors."
    )


def test_tally_for_one_finding_is_singular_and_skips_empty_parts():
    output = text(sample_report([SLEEP], errors=[], unused=[]))
    assert output.splitlines()[-1] == "Found 1 finding (1 high)."


def test_an_empty_report_says_so_in_one_line():
    assert text(empty_report()) == "No findings.\n"


def test_errors_and_unused_suppressions_are_listed_with_their_location():
    lines = text().splitlines()
    assert (
        "packages/relay/legacy/py2_shim.py:3: error: syntax-error: invalid syntax: print 'ready'"
        in lines
    )
    # an error without a line number has only the path
    assert (
        "packages/relay/assets/notes_latin1.py: error: decode-error: not UTF-8 (byte 0xe9 at offset 120)"
        in lines
    )
    assert (
        "packages/relay/gateway/sessions.py:88: warning: unused suppression for BIO301 (no finding here)"
        in lines
    )


def test_a_chain_that_ends_in_the_primitive_does_not_print_it_twice():
    finding = SLEEP.model_copy(
        update={"chain": [*SLEEP.chain, ChainStep(function="time.sleep", path=API, line=55)]}
    )
    output = text(sample_report([finding], errors=[], unused=[]))
    assert output.count("time.sleep (") == 1


def test_many_entry_points_are_abbreviated():
    entries = [f"relay.api.handler_{i}" for i in range(6)]
    finding = SLEEP.model_copy(update={"entrypoints": [SLEEP.chain[0].function, *entries]})
    output = text(sample_report([finding], errors=[], unused=[]))
    assert (
        "    also reached from relay.api.handler_0, relay.api.handler_1, relay.api.handler_2"
        " and 3 more" in output.splitlines()
    )


def test_color_changes_only_the_styling_not_the_words():
    colored = text(color=True)
    assert "\x1b[" in colored
    assert ANSI_RE.sub("", colored) == text(color=False)
    assert "\x1b[" not in text(color=False)


def test_the_first_line_says_what_happens_without_repeating_rule_severity_or_tags():
    tagged = WRITE.model_copy(
        update={
            "message": WRITE.message + ", reached through `save_blob()` (2 calls deep) "
            "(this call also reaches BIO105 io.IOBase.write). [P2: medium file-write, transitive]"
        }
    )
    lines = block(text(sample_report([tagged], errors=[], unused=[])), f"{FILES}:17:")
    assert lines[0] == (
        f"{FILES}:17:5: BIO103 `pathlib.Path.write_text` writes a whole file synchronously on "
        "the event loop"
    )
    assert "[" not in lines[0] and "medium" not in lines[0]
    assert lines[1] == (
        "    medium, transitive, request, P2: reached through `save_blob()` (2 calls deep) (this "
        "call also reaches BIO105 io.IOBase.write)"
    )


def test_concise_is_one_line_per_finding_then_the_tally():
    tagged = WRITE.model_copy(
        update={"message": WRITE.message + ". [P2: medium file-write, transitive]"}
    )
    report = sample_report([tagged, SLEEP], errors=[], unused=[])
    output = render(report, OutputFormat.concise, REGISTRY, color=False)
    assert output.splitlines() == [
        f"{API}:55:9: BIO301 `time.sleep` sleeps synchronously, freezing the event loop",
        f"{FILES}:17:5: BIO103 `pathlib.Path.write_text` writes a whole file synchronously on "
        "the event loop",
        "",
        "Found 2 findings (1 high, 1 medium).",
    ]


def test_text_is_the_old_name_of_full():
    assert render(sample_report(), OutputFormat.text, REGISTRY, color=False) == render(
        sample_report(), OutputFormat.full, REGISTRY, color=False
    )
