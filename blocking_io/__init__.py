"""blocking-io: keep synchronous, blocking IO off the asyncio event loop.

The one import package of the distribution. Its parts:

- `blocking_io.shared_rules`: the rule registry, knowledge as data, `[tool.blocking-io]`
  configuration and the JSON report contracts (imports nothing else of ours);
- `blocking_io.static_detector`: the whole-program static analysis (`blocking-io detect`);
- `blocking_io.runtime_gate`: the pytest plugin and `gate()` over Blockbuster;
- `blocking_io.gap_report`: joins the two sides' reports (through their JSON contracts);
- `blocking_io.cli`: the application layer: the `blocking-io` command, console rendering and
  the scaffolding of `init` and `anchor new`. No engine imports it.

In the repository the engines are top-level folders of the same names (see pyproject's
`package-dir`).
"""

__version__ = "0.1.0"  # also the distribution's version (pyproject reads it from here)

# Where the documentation is published (docs/ of the repository). The SARIF log links each
# rule to its section of rules.md here (`helpUri`); pyproject's [project.urls] says the same.
DOCS_URL = "https://github.com/blocking-io/blocking-io/blob/main/docs/"
