"""Drives `sentinel mcp serve` with the real Python MCP client (`mcp.client.stdio`), one
command per line on stdin, one JSON answer per line on stdout, so that a Rust test can act on
the registry between two calls.

Usage: driver.py SENTINEL [ARGS...]   (the gateway's command line; the environment is passed on)

Commands (JSON): {"op": "list"}, {"op": "call", "name": N, "args": {...}},
{"op": "call_async", "name": N, "args": {...}} then {"op": "result"} (or {"op": "cancel"}, which
abandons it), {"op": "list_changed",
"timeout": S} (waits for notifications/tools/list_changed), {"op": "quit"}.
"""
import json
import os
import sys

import anyio
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


def out(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def tool_result(r):
    texts = [c.text for c in r.content if getattr(c, "type", None) == "text"]
    return {"is_error": bool(r.is_error), "text": "\n".join(texts), "structured": r.structured_content}


async def main():
    params = StdioServerParameters(command=sys.argv[1], args=sys.argv[2:], env=dict(os.environ))
    changed = anyio.Event()
    state = {"changed": changed}

    async def on_message(message):
        if isinstance(message, Exception):
            return
        root = getattr(message, "root", message)
        if isinstance(root, types.ToolListChangedNotification):
            state["changed"].set()

    lines = anyio.wrap_file(sys.stdin)
    async with stdio_client(params) as (read, write):
        async with ClientSession(
            read,
            write,
            message_handler=on_message,
            client_info=types.Implementation(name="godconfig-test-client", version="1.0"),
        ) as session:
            await session.initialize()
            out({"ok": True})
            pending = {}
            async with anyio.create_task_group() as tg:
                async for line in lines:
                    cmd = json.loads(line)
                    op = cmd["op"]
                    if op == "quit":
                        tg.cancel_scope.cancel()
                        break
                    if op == "list":
                        tools = (await session.list_tools()).tools
                        out({"tools": [
                            {"name": t.name, "description": t.description,
                             "input_schema": t.input_schema,
                             "annotations": t.annotations.model_dump(by_alias=True, exclude_none=True) if t.annotations else None,
                             "meta": t.meta}
                            for t in tools]})
                    elif op == "call":
                        r = await session.call_tool(cmd["name"], cmd.get("args") or {})
                        out(tool_result(r))
                    elif op == "call_async":
                        done = anyio.Event()
                        scope = anyio.CancelScope()

                        async def run(name=cmd["name"], args=cmd.get("args") or {}, done=done, scope=scope):
                            with scope:
                                pending["result"] = tool_result(await session.call_tool(name, args))
                            if scope.cancelled_caught:
                                pending["result"] = {"cancelled": True}
                            done.set()

                        pending["done"] = done
                        pending["scope"] = scope
                        tg.start_soon(run)
                        out({"started": True})
                    elif op == "cancel":
                        # Abandoning the request sends notifications/cancelled to the server.
                        pending["scope"].cancel()
                        await pending["done"].wait()
                        out(pending.pop("result"))
                    elif op == "result":
                        await pending["done"].wait()
                        out(pending.pop("result"))
                    elif op == "list_changed":
                        with anyio.move_on_after(cmd.get("timeout", 5)):
                            await state["changed"].wait()
                        out({"changed": state["changed"].is_set()})
                        state["changed"] = anyio.Event()
                    else:
                        out({"error": f"unknown op {op}"})


anyio.run(main)
