"""Salesforce connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SALESFORCE_* environment variables, injected by
`sentinel vault exec --connector salesforce -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_VERSION = "v62.0"


def _secret(key):
    name = f"PROVIDER_SALESFORCE_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method, path, body=None):
    base = _secret("INSTANCE_URL").rstrip("/")
    req = urllib.request.Request(
        f"{base}/services/data/{API_VERSION}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {_secret('ACCESS_TOKEN')}",
                 "Content-Type": "application/json", "Accept": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Salesforce API error {err.code}: {err.read()[:500]!r}") from err


def run_soql_query(*, query):
    if not query.lstrip().upper().startswith("SELECT"):
        raise ValueError("run_soql_query only accepts SOQL SELECT statements")
    result = _call("GET", "/query?" + urllib.parse.urlencode({"q": query}))
    return {"total_size": result.get("totalSize"), "done": result.get("done"),
            "records": result.get("records", [])}


def create_lead(*, last_name, company, first_name=None, email=None, lead_source=None):
    fields = {"LastName": last_name, "Company": company, "FirstName": first_name,
              "Email": email, "LeadSource": lead_source}
    result = _call("POST", "/sobjects/Lead",
                   {k: v for k, v in fields.items() if v is not None})
    return {"id": result.get("id"), "success": result.get("success"),
            "errors": result.get("errors", [])}
