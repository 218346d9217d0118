# feature: module-naming
"""This package, not `app/tasks.py` beside it, is what `import app.tasks` loads."""

import time


async def run_job() -> None:
    time.sleep(1)  # expect: BIO301
