"""Notion connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_NOTION_* environment variables, injected by
`sentinel vault exec --connector notion -- <cmd>`. Importing has no side effects.
GODCONFIG_NOTION_API_BASE, read at each call, replaces https://api.notion.com (tests point it
at a local fake of the API). Errors say the HTTP status, Notion's message and what to do.
"""
import json
import os
import urllib.error
import urllib.request

API_BASE = "https://api.notion.com"
KEY = "PROVIDER_NOTION_ACCESS_TOKEN"
NOTION_VERSION = "2025-09-03"


def _secret(key):
    name = f"PROVIDER_NOTION_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(err, scope, key):
    """The HTTP status, Notion's own code and message and what to do; never the token."""
    try:
        body = json.loads(err.read())
        message = f"{body['code']}: {body['message']}"
    except (ValueError, LookupError, TypeError):
        message = err.reason
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or revoked; store a new one with: sentinel vault set {KEY}",
            403: f"the integration lacks the {scope} capability; enable it in the "
                 "integration's settings",
            404: "that page does not exist or is not shared with the integration; share it",
            429: f"rate limited; wait {wait} and retry"}.get(err.code) or (
        "Notion failed; retry later" if err.code >= 500
        else "Notion refused the request as sent; change the arguments as its message says")
    text = f"Notion API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _post(path, scope, body):
    key = _secret("ACCESS_TOKEN")
    base = (os.environ.get("GODCONFIG_NOTION_API_BASE") or API_BASE).rstrip("/")
    req = urllib.request.Request(
        base + "/v1" + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}",
                 "Notion-Version": NOTION_VERSION, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise _fail(err, scope, key) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err


def _title(page):
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return "".join(part.get("plain_text", "") for part in prop.get("title", []))
    return ""


def search_pages(*, query, page_size=10):
    result = _post("/search", "read_content",
                   {"query": query, "page_size": int(page_size),
                    "filter": {"property": "object", "value": "page"}})
    return {"pages": [{"id": p["id"], "title": _title(p), "url": p.get("url"),
                       "last_edited_time": p.get("last_edited_time")}
                      for p in result.get("results", [])],
            "has_more": result.get("has_more", False)}


def create_page(*, parent_page_id, title, content=None):
    body = {"parent": {"page_id": parent_page_id},
            "properties": {"title": {"title": [{"text": {"content": title}}]}}}
    if content:
        body["children"] = [{"object": "block", "type": "paragraph",
                             "paragraph": {"rich_text": [{"text": {"content": content}}]}}]
    page = _post("/pages", "insert_content", body)
    return {"id": page["id"], "url": page.get("url")}
