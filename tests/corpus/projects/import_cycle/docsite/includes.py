# feature: cycle
"""Include directives: read the included file and render it (back into render.py)."""

from pathlib import Path

from . import render

DOCS = Path("/srv/docs")


def expand(line: str, depth: int) -> str:
    if line.startswith(".. include:: "):
        included = (DOCS / line.split()[-1]).read_text()  # ok: reported at the async call site
        return render.render(included, depth + 1)  # ok: reported at the async call site
    return line


async def preview(line: str) -> str:
    return expand(line, 0)  # expect: BIO102
