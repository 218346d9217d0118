"""How a scan reports progress: a callback of (phase, done, total), called from the scan's
loop; the application layer draws it (a progress bar on a terminal), tests may record it."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]  # (phase, done, total)
