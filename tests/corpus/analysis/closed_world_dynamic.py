# feature: closed-world
# config: closed-world = true
"""In a closed world, a method looked up by a name computed at run time may be any method
whose name a string spells (`getattr(self, action)`) or that starts with the constant
prefix of the name (`getattr(self, f"on_{kind}")`): it is not dead code."""

import time

ACTIONS = ["restart", "stop"]


class Bot:
    async def on_message(self, text: str) -> None:
        time.sleep(1)  # expect: BIO301

    async def restart(self) -> None:
        time.sleep(1)  # expect: BIO301

    async def archive(self) -> None:
        time.sleep(1)  # ok: no call, no string and no prefix names it: dead code

    async def dispatch(self, kind: str, text: str) -> None:
        await getattr(self, f"on_{kind}")(text)

    async def run(self, action: str) -> None:
        await getattr(self, action)()


BOT = Bot()
ENTRY = [BOT.dispatch, BOT.run]
