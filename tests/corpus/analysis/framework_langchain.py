# feature: framework-langchain
"""Under `ainvoke` / `astream`, LangChain calls the sync hooks of an AgentMiddleware subclass
inline on the loop unless the class defines the async twin (`abefore_model`), and sync
functions under @before_model / @dynamic_prompt likewise; sync tools, sync RunnableLambdas and
sync wrap_* hooks do not run on the loop (an executor, or NotImplementedError)."""

import json
import sqlite3
import subprocess
from pathlib import Path

import requests
from langchain.agents import create_agent
from langchain.agents.middleware import (
    AgentMiddleware,
    after_agent,
    after_model,
    before_agent,
    before_model,
    dynamic_prompt,
)
from langchain_core.runnables import RunnableLambda, run_in_executor
from langchain_core.tools import tool

AUDIT = "/var/lib/agent/audit.db"
PROMPTS = Path("/etc/agent/prompts")


def load_policy() -> dict:
    return json.loads((PROMPTS / "policy.json").read_text())  # ok: reported where the loop calls it


class Audit(AgentMiddleware):
    def before_agent(self, state, runtime) -> None:
        with sqlite3.connect(AUDIT) as conn:  # expect: BIO501
            conn.execute("INSERT INTO runs VALUES (?)", (len(state["messages"]),))  # listed: BIO501

    def after_model(self, state, runtime) -> None:
        requests.post("https://audit.example/model", json={"n": 1})  # expect: BIO406

    def wrap_tool_call(self, request, handler):
        subprocess.run(["audit-tool", request.tool_call["name"]])  # ok: a sync-only wrap_* raises under ainvoke
        return handler(request)


class Policy(AgentMiddleware):
    def before_model(self, state, runtime) -> dict:
        return {"policy": load_policy()}  # ok: abefore_model is what ainvoke runs

    async def abefore_model(self, state, runtime) -> dict:
        return {"policy": {}}

    def after_agent(self, state, runtime) -> None:
        load_policy()  # expect: BIO102

    def summary(self) -> str:
        return (PROMPTS / "summary.txt").read_text()  # ok: not a hook


@before_model
def trim(state, runtime) -> None:
    (PROMPTS / "last.json").write_text(json.dumps(state["messages"][-1:]))  # expect: BIO103


@dynamic_prompt
def system_prompt(request) -> str:
    return (PROMPTS / "system.txt").read_text()  # expect: BIO102


@tool
def search(query: str) -> str:
    """Search the notes."""
    return requests.get("https://notes.example/search", params={"q": query}).text  # ok: a sync tool runs in an executor


def shout(text: str) -> str:
    return subprocess.check_output(["figlet", text], text=True)  # ok: a sync RunnableLambda runs in an executor


class Plain:
    def before_model(self, state, runtime) -> None:
        load_policy()  # ok: not an AgentMiddleware: nothing says the loop runs it


async def main(question: str) -> None:
    agent = create_agent("openai:gpt-5", tools=[search], middleware=[Audit(), Policy(), trim, system_prompt])
    await agent.ainvoke({"messages": [("user", question)]})
    await RunnableLambda(shout).ainvoke(question)
    await run_in_executor(None, load_policy)  # ok: offloaded
    await run_in_executor(None, lambda: (PROMPTS / "x").read_text())  # ok: offloaded


@before_agent
def load_profile(state, runtime) -> dict:
    return {"profile": json.loads((PROMPTS / "profile.json").read_text())}  # expect: BIO102


@after_model(can_jump_to=["end"])
def log_reply(state, runtime) -> None:
    requests.post("https://audit.example/reply", json={"n": 1})  # expect: BIO406


@after_agent
def archive(state, runtime) -> None:
    subprocess.run(["agent-archive"])  # expect: BIO201


@after_agent
async def archive_async(state, runtime) -> None:
    return None  # ok: an async hook
