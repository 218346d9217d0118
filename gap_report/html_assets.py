"""The inline stylesheet and script of the HTML report (kept apart from the markup)."""

from __future__ import annotations

CSS = """
:root { --fg: #1d1d1f; --muted: #616161; --line: #e0e0e0; --bg: #fff; --panel: #f7f7f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 26px 0 10px; }
h4 { margin: 12px 0 4px; font-size: 13px; }
.sub { color: var(--muted); margin: 0; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 16px; }
.card { flex: 1 1 150px; border: 1px solid var(--line); border-top: 4px solid var(--c);
  border-radius: 6px; padding: 10px 12px; background: var(--panel); }
.card .n { font-size: 28px; font-weight: 700; color: var(--c); }
.card .label { font-weight: 600; }
.card .meaning { color: var(--muted); font-size: 12px; }
.warning { background: #fff8e1; border-left: 4px solid #f9a825; padding: 8px 12px; margin: 12px 0; }
#module-chart { display: block; width: 100%; max-width: 480px; height: auto; }
#module-chart text { font-size: 12px; fill: var(--fg); }
#module-chart .total { fill: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 6px 0 0; color: var(--muted); }
.legend i { display: inline-block; width: 11px; height: 11px; margin-right: 5px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
.links { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.links .status-failing { color: #c62828; } .links .status-unguarded { color: #ef6c00; }
.links [class^="status-"] { font-size: 11px; color: var(--muted); }
.table-wrap { overflow-x: auto; }
.cmd { background: var(--panel); padding: 1px 4px; border-radius: 3px; display: inline-block;
  margin-top: 3px; }
.at { color: var(--muted); font-size: 12px; }
code { overflow-wrap: anywhere; }
#filters { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
#filters button { font: inherit; border: 1px solid var(--line); background: var(--bg);
  border-radius: 14px; padding: 3px 11px; cursor: pointer; }
#filters button[aria-pressed="true"] { background: var(--fg); color: var(--bg); border-color: var(--fg); }
#filters button .count { font-weight: 700; margin-left: 4px; }
#shown { color: var(--muted); margin: 4px 0 8px; }
.finding { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: var(--bg); }
.finding[hidden] { display: none; }
.finding > summary { cursor: pointer; padding: 7px 10px; display: flex; gap: 10px;
  align-items: baseline; flex-wrap: wrap; }
.finding[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); }
.badge { background: var(--c); color: #fff; border-radius: 10px; padding: 0 8px; font-size: 12px;
  font-weight: 600; min-width: 104px; text-align: center; }
.sev { font-size: 12px; font-weight: 600; min-width: 52px; }
.sev-high { color: #c62828; } .sev-medium { color: #a15c00; } .sev-low { color: #00838f; }
.where { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
.fn { color: var(--muted); }
.body { padding: 4px 14px 10px; }
.code { background: #272822; color: #f8f8f2; padding: 8px 10px; border-radius: 4px; overflow-x: auto; }
.code .ln { color: #90908a; margin-right: 12px; user-select: none; }
.chain { margin: 0; padding-left: 22px; }
.chain .at, .fp, .none { color: var(--muted); }
.chain .lib { font-size: 12px; font-style: italic; }
.fp { font-size: 11px; }
.empty { color: var(--muted); }
.msg code, .fix code, .detail code { background: var(--panel); padding: 0 3px; border-radius: 3px; }
/* a phone (420 px): one block per suggestion, labels from data-label, narrower margins */
@media (max-width: 640px) {
  header, main { padding: 0 10px; }
  table.suggestions thead { display: none; }
  table.suggestions tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
  table.suggestions td { display: block; border: 0; padding: 2px 0; }
  table.suggestions td::before { content: attr(data-label) ": "; color: var(--muted);
    font-size: 12px; }
  .badge { min-width: 0; }
  .card { flex-basis: 120px; }
  .finding > summary { gap: 6px; }
  .where { overflow-wrap: anywhere; }
}
"""

# The filter: one button per status present, with its count; "all" shows everything.
JS = """
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#list .finding"));
  var bar = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var order = ["all", "failing", "unguarded", "entry-anchored", "runtime-blind", "guarded", "stale"];
  var counts = { all: rows.length };
  rows.forEach(function (row) {
    var status = row.getAttribute("data-status");
    counts[status] = (counts[status] || 0) + 1;
  });
  var buttons = [];
  function apply(status) {
    var visible = 0;
    rows.forEach(function (row) {
      var show = status === "all" || row.getAttribute("data-status") === status;
      row.hidden = !show;
      if (show) { visible += 1; }
    });
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-status") === status));
    });
    shown.textContent = "Showing " + visible + " of " + rows.length + " findings" +
      (status === "all" ? "" : " (" + status + ")");
  }
  order.forEach(function (status) {
    if (status !== "all" && !counts[status]) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.setAttribute("data-status", status);
    button.appendChild(document.createTextNode(status));
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = String(counts[status] || 0);
    button.appendChild(count);
    button.addEventListener("click", function () { apply(status); });
    bar.appendChild(button);
    buttons.push(button);
  });
  if (location.hash && location.hash.indexOf("#f-") === 0) {
    var target = document.getElementById(location.hash.slice(1));
    if (target) { target.open = true; }
  }
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains("finding")) { apply("all"); target.open = true; }
  });
  apply("all");
})();
"""
