"""HubSpot connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_HUBSPOT_* environment variables, injected by
`sentinel vault exec --connector hubspot -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.request

API_BASE = "https://api.hubapi.com"


def _secret(key):
    name = f"PROVIDER_HUBSPOT_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method, path, body=None):
    req = urllib.request.Request(
        API_BASE + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {_secret('ACCESS_TOKEN')}",
                 "Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"HubSpot API error {err.code}: {err.read()[:500]!r}") from err


def search_deals(*, query, limit=20):
    body = {"query": query, "limit": int(limit),
            "properties": ["dealname", "amount", "dealstage", "closedate", "pipeline"]}
    result = _call("POST", "/crm/v3/objects/deals/search", body)
    return {"total": result.get("total"),
            "deals": [{"id": d["id"], **d.get("properties", {})} for d in result.get("results", [])]}


def create_contact(*, email, first_name=None, last_name=None, lifecycle_stage=None):
    props = {"email": email, "firstname": first_name, "lastname": last_name,
             "lifecyclestage": lifecycle_stage}
    result = _call("POST", "/crm/v3/objects/contacts",
                   {"properties": {k: v for k, v in props.items() if v is not None}})
    return {"id": result.get("id"), "properties": result.get("properties", {})}
