"""The `blocking-io` console script's entry point, kept light on purpose.

An unchanged re-run of `blocking-io detect` is answered from its replay record
(`replay.py`: the file system state the last run depended on, checked with `os.stat`)
before typer, pydantic, rich or the analysis are imported; everything else runs the typer
app in `typer_app.py`. `from blocking_io.cli.app import app` still gives that app.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing's import is a tenth of an unchanged re-run
    from typing import Any


def main() -> None:
    from .replay import replay

    replay(sys.argv[1:])  # exits when the stored answer is still valid
    from .typer_app import main as run

    run()


def __getattr__(name: str) -> Any:
    if name == "app":
        from .typer_app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
