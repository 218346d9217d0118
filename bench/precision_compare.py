"""Join findings.json files with the hand triage in docs/precision/: precision of what is
shown by default, what is new (not triaged yet), and every real finding that disappeared.

    python -m bench.precision_compare RESULTS_DIR open-webui letta chainlit python-telegram-bot

RESULTS_DIR holds `<target>.json` from `blocking-io detect . --format json -o ...
--min-impact script` run in each target's unpacked source (docs/precision.md)."""

import json
import sys
from collections import Counter
from pathlib import Path

TRIAGE = Path(__file__).resolve().parent.parent / "docs" / "precision"


def key(f):
    # the function's qualified name is left out: module naming changed (issue 18), places did not
    return f"{f['path']}:{f['line']}:{f['rule']}"


def load_triage(target):
    rows = {}
    p = TRIAGE / f"{target}.triage.tsv"
    if not p.exists():
        return rows
    for line in p.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 5:
            rows[parts[0].rsplit(":", 1)[0]] = parts
    return rows


results = Path(sys.argv[1])
for target in sys.argv[2:]:
    tri = load_triage(target)
    rep = json.loads((results / f"{target}.json").read_text())
    everything = [f for f in rep["findings"] if not f.get("suppressed")]
    # what `detect` shows by default: min-impact = once hides script findings
    found = [f for f in everything if f.get("impact") != "script"]
    hidden = {key(f) for f in everything if f.get("impact") == "script"}
    # a real block counts as kept when it is listed under a once-finding's other entries,
    # or reported at the same place under another rule
    listed = {(e["path"], e["line"]) for f in found for e in f.get("other_entries", [])}
    # ... or listed on the finding of the call that made its object (`also` with a line)
    listed |= {(f["path"], a["line"]) for f in found for a in f.get("also", []) if a.get("line")}
    places = {(f["path"], f["line"]) for f in found}
    keys = {key(f): f for f in found}
    real = [k for k in keys if k in tri and tri[k][1] == "real"]
    false = [k for k in keys if k in tri and tri[k][1] == "false"]
    new = [k for k in keys if k not in tri]

    def kept(k, listed=listed, places=places):
        path, line, _rule = k.split(":", 2)
        return (path, int(line)) in listed or (path, int(line)) in places

    merged_real = [k for k, r in tri.items() if r[1] == "real" and k not in keys and kept(k)]
    hidden_real = [k for k, r in tri.items() if r[1] == "real" and k not in keys and k in hidden]
    dropped_real = [
        k
        for k, r in tri.items()
        if r[1] == "real" and k not in keys and not kept(k) and k not in hidden
    ]
    dropped_false = [k for k, r in tri.items() if r[1] == "false" and k not in keys]
    labelled = len(real) + len(false)
    prec = 100 * len(real) / labelled if labelled else float("nan")
    print(
        f"{target}: {len(found)} findings; labelled {labelled}: {len(real)} real, {len(false)} false ({prec:.1f}%); new {len(new)}; "
        f"dropped real {len(dropped_real)} (+{len(merged_real)} merged into another finding, {len(hidden_real)} hidden as script), dropped false {len(dropped_false)}"
    )
    print("   false left by class:", dict(Counter(tri[k][2] for k in false)))
    print("   false dropped by class:", dict(Counter(tri[k][2] for k in dropped_false)))
    print("   impacts:", dict(Counter(keys[k].get("impact") for k in keys)))
    if "-v" in sys.argv[1:2] or True:
        for k in dropped_real:
            print("   DROPPED REAL:", k, "|", tri[k][3], "|", tri[k][4][:150])
        for k in new[:15]:
            print("   NEW:", k)
