"""Salesforce connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SALESFORCE_* environment variables, injected by
`sentinel vault exec --connector salesforce -- <cmd>`. Importing has no side effects.
GODCONFIG_SALESFORCE_API_BASE, read at each call, replaces the org's instance URL
(PROVIDER_SALESFORCE_INSTANCE_URL); tests point it at a local fake of the API.
Errors say the HTTP status, Salesforce's errorCode and message and what to do.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_VERSION = "v62.0"
KEY = "PROVIDER_SALESFORCE_ACCESS_TOKEN"


def _secret(key):
    name = f"PROVIDER_SALESFORCE_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(err, scope, key):
    """The HTTP status, Salesforce's own errors and what to do; never the token."""
    try:
        errors = json.loads(err.read())  # [{"message": ..., "errorCode": ...}, ...]
        message = "; ".join(f"{e['errorCode']}: {e['message']}" for e in errors)
    except (ValueError, LookupError, TypeError, AttributeError):
        errors, message = [], err.reason
    codes = {e.get("errorCode") for e in errors if isinstance(e, dict)}
    # The org's daily API limit comes as 403 REQUEST_LIMIT_EXCEEDED.
    status = 429 if "REQUEST_LIMIT_EXCEEDED" in codes else err.code
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the session is invalid or expired; store a new token with: "
                 f"sentinel vault set {KEY}",
            403: f"the connected app lacks the {scope} scope or the user lacks the permission; "
                 f"grant it, then: sentinel vault set {KEY}",
            404: "that record or object does not exist; check the id and the object name",
            429: f"rate limited; wait {wait} and retry"}.get(status) or (
        "Salesforce failed; retry later" if status >= 500
        else "Salesforce refused the request as sent; change the arguments as its message says")
    text = f"Salesforce API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _call(method, path, scope, body=None):
    key = _secret("ACCESS_TOKEN")
    base = (os.environ.get("GODCONFIG_SALESFORCE_API_BASE") or _secret("INSTANCE_URL")).rstrip("/")
    req = urllib.request.Request(
        f"{base}/services/data/{API_VERSION}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}",
                 "Content-Type": "application/json", "Accept": "application/json"},
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


def run_soql_query(*, query):
    if not query.lstrip().upper().startswith("SELECT"):
        raise ValueError("run_soql_query only accepts SOQL SELECT statements")
    result = _call("GET", "/query?" + urllib.parse.urlencode({"q": query}), "api")
    return {"total_size": result.get("totalSize"), "done": result.get("done"),
            "records": result.get("records", [])}


def create_lead(*, last_name, company, first_name=None, email=None, lead_source=None):
    fields = {"LastName": last_name, "Company": company, "FirstName": first_name,
              "Email": email, "LeadSource": lead_source}
    result = _call("POST", "/sobjects/Lead", "api",
                   {k: v for k, v in fields.items() if v is not None})
    return {"id": result.get("id"), "success": result.get("success"),
            "errors": result.get("errors", [])}
