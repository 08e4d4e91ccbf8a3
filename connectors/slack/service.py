"""Slack connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SLACK_* environment variables, injected by
`sentinel vault exec --connector slack -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://slack.com/api/"


def _secret(key):
    name = f"PROVIDER_SLACK_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method_name, params=None, body=None):
    url = API_BASE + method_name
    if params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {_secret('BOT_TOKEN')}",
                 "Content-Type": "application/json; charset=utf-8"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Slack API error {err.code}: {err.read()[:500]!r}") from err
    if not payload.get("ok"):
        raise RuntimeError(f"Slack {method_name} failed: {payload.get('error')}")
    return payload


def get_channel_info(*, channel):
    info = _call("conversations.info", {"channel": channel, "include_num_members": "true"})["channel"]
    return {"id": info.get("id"), "name": info.get("name"),
            "topic": (info.get("topic") or {}).get("value"),
            "purpose": (info.get("purpose") or {}).get("value"),
            "num_members": info.get("num_members"), "is_archived": info.get("is_archived")}


def post_message(*, channel, text, thread_ts=None):
    body = {"channel": channel, "text": text}
    if thread_ts:
        body["thread_ts"] = thread_ts
    result = _call("chat.postMessage", body=body)
    return {"ok": True, "channel": result.get("channel"), "ts": result.get("ts")}
