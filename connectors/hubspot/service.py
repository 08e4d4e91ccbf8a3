"""HubSpot connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_HUBSPOT_* environment variables, injected by
`sentinel vault exec --connector hubspot -- <cmd>`. Importing has no side effects.
GODCONFIG_HUBSPOT_API_BASE, read at each call, replaces https://api.hubapi.com (tests point
it at a local fake of the API). Errors say the HTTP status, HubSpot's message and what to do.
"""
import json
import os
import urllib.error
import urllib.request

API_BASE = "https://api.hubapi.com"
KEY = "PROVIDER_HUBSPOT_ACCESS_TOKEN"


def _secret(key):
    name = f"PROVIDER_HUBSPOT_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(err, scope, key):
    """The HTTP status, HubSpot's own message (and category) and what to do; never the token."""
    try:
        body = json.loads(err.read())
        message = body["message"] + (f" ({body['category']})" if body.get("category") else "")
    except (ValueError, LookupError, TypeError, AttributeError):
        message = err.reason
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or expired; store a new one with: sentinel vault set {KEY}",
            403: f"the app lacks the {scope} scope; add it, reinstall the app, then: "
                 f"sentinel vault set {KEY}",
            404: "that record does not exist; check the id",
            429: f"rate limited; wait {wait} and retry"}.get(err.code) or (
        "HubSpot failed; retry later" if err.code >= 500
        else "HubSpot refused the request as sent; change the arguments as its message says")
    text = f"HubSpot API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _call(method, path, scope, body=None):
    key = _secret("ACCESS_TOKEN")
    base = (os.environ.get("GODCONFIG_HUBSPOT_API_BASE") or API_BASE).rstrip("/")
    req = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise _fail(err, scope, key) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err


def search_deals(*, query, limit=20):
    body = {"query": query, "limit": int(limit),
            "properties": ["dealname", "amount", "dealstage", "closedate", "pipeline"]}
    result = _call("POST", "/crm/v3/objects/deals/search", "crm.objects.deals.read", body)
    return {"total": result.get("total"),
            "deals": [{"id": d["id"], **d.get("properties", {})} for d in result.get("results", [])]}


def create_contact(*, email, first_name=None, last_name=None, lifecycle_stage=None):
    props = {"email": email, "firstname": first_name, "lastname": last_name,
             "lifecyclestage": lifecycle_stage}
    result = _call("POST", "/crm/v3/objects/contacts", "crm.objects.contacts.write",
                   {"properties": {k: v for k, v in props.items() if v is not None}})
    return {"id": result.get("id"), "properties": result.get("properties", {})}
