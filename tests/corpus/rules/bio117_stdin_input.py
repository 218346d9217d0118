# feature: stdin-input
"""An interactive agent REPL that reads stdin on the loop."""

import asyncio


async def repl(agent) -> None:
    while True:
        prompt = input("you> ")  # expect: BIO117
        if prompt in {"exit", "quit"}:
            break
        await agent.run(prompt)  # ok: unresolved coroutine call


async def repl_offloaded(agent) -> None:
    prompt = await asyncio.to_thread(input, "you> ")  # ok: offloaded by reference
    await agent.run(prompt)  # ok: unresolved coroutine call
