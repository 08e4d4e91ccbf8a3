"""Notion connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_NOTION_* environment variables, injected by
`sentinel vault exec --connector notion -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.request

API_BASE = "https://api.notion.com/v1"
NOTION_VERSION = "2025-09-03"


def _secret(key):
    name = f"PROVIDER_NOTION_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _post(path, body):
    req = urllib.request.Request(
        API_BASE + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {_secret('ACCESS_TOKEN')}",
                 "Notion-Version": NOTION_VERSION, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Notion API error {err.code}: {err.read()[:500]!r}") from err


def _title(page):
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return "".join(part.get("plain_text", "") for part in prop.get("title", []))
    return ""


def search_pages(*, query, page_size=10):
    result = _post("/search", {"query": query, "page_size": int(page_size),
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
    page = _post("/pages", body)
    return {"id": page["id"], "url": page.get("url")}
