# feature: module-naming
"""The package `app/tasks/` beside this file shadows it: `import app.tasks` loads the
package, so no import ever runs this module; only `python app/tasks.py` could."""

import time


async def run_job() -> None:
    time.sleep(1)  # ok: a file no import can load runs only as a script (hidden by default)
