# feature: cycle
"""render() and includes.expand() call each other across modules."""

from . import includes


def render(text: str, depth: int = 0) -> str:
    if depth > 5:
        return text
    return "".join(includes.expand(line, depth) for line in text.splitlines(keepends=True))  # ok: reported at the async call site


def render_plain(text: str) -> str:
    return text.strip()  # ok: pure


async def render_page(text: str) -> str:
    return render(text)  # expect: BIO102


async def render_title(text: str) -> str:
    return render_plain(text)  # ok: pure helper
