"""Slack connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SLACK_* environment variables, injected by
`sentinel vault exec --connector slack -- <cmd>`. Importing has no side effects.
GODCONFIG_SLACK_API_BASE, read at each call, replaces https://slack.com (tests point it at a
local fake of the API). Errors say the HTTP status, Slack's error code and what to do.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://slack.com"
KEY = "PROVIDER_SLACK_BOT_TOKEN"
# Slack answers most errors with HTTP 200 and {"ok": false, "error": code}: the code says which.
KINDS = {"invalid_auth": 401, "not_authed": 401, "token_revoked": 401, "token_expired": 401,
         "account_inactive": 401, "missing_scope": 403, "channel_not_found": 404,
         "thread_not_found": 404, "ratelimited": 429, "internal_error": 500, "fatal_error": 500,
         "service_unavailable": 503}


def _secret(key):
    name = f"PROVIDER_SLACK_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(method_name, status, payload, after, scope, token):
    """The HTTP status, Slack's error code and what to do; never the token."""
    error = payload.get("error")
    kind = KINDS.get(error, 400 if status < 300 else status)
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or revoked; store a new one with: sentinel vault set {KEY}",
            403: f"the app lacks the {scope} scope; add it, reinstall the app, then: "
                 f"sentinel vault set {KEY}",
            404: "that channel or thread does not exist; check the id",
            429: f"rate limited; wait {wait} and retry"}.get(kind) or (
        "Slack failed; retry later" if kind >= 500
        else "Slack refused the request as sent; change the arguments as its error says")
    if error == "not_in_channel":  # the token is fine; the app is not a member
        todo = "invite the app to that channel, then retry"
    needed = f" (needed: {payload['needed']})" if payload.get("needed") else ""
    text = f"Slack {method_name} failed (HTTP {status}, ok=false): {error}{needed}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(token, "***"))


def _call(method_name, scope, params=None, body=None):
    token = _secret("BOT_TOKEN")
    base = (os.environ.get("GODCONFIG_SLACK_API_BASE") or API_BASE).rstrip("/")
    url = f"{base}/api/{method_name}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}",
                 "Content-Type": "application/json; charset=utf-8"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, after, payload = resp.status, "", json.load(resp)
    except urllib.error.HTTPError as err:
        status, after = err.code, err.headers.get("Retry-After", "")
        try:
            payload = json.loads(err.read())
        except ValueError:
            payload = {}
        payload.setdefault("error", err.reason)
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err
    if not payload.get("ok"):
        raise _fail(method_name, status, payload, after, scope, token)
    return payload


def get_channel_info(*, channel):
    info = _call("conversations.info", "channels:read",
                 {"channel": channel, "include_num_members": "true"})["channel"]
    return {"id": info.get("id"), "name": info.get("name"),
            "topic": (info.get("topic") or {}).get("value"),
            "purpose": (info.get("purpose") or {}).get("value"),
            "num_members": info.get("num_members"), "is_archived": info.get("is_archived")}


def post_message(*, channel, text, thread_ts=None):
    body = {"channel": channel, "text": text}
    if thread_ts:
        body["thread_ts"] = thread_ts
    result = _call("chat.postMessage", "chat:write", body=body)
    return {"ok": True, "channel": result.get("channel"), "ts": result.get("ts")}
