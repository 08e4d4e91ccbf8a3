"""Google Ads connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_GOOGLE_ADS_* environment variables, injected by
`sentinel vault exec --connector google_ads -- <cmd>`. Importing has no side effects.
GODCONFIG_GOOGLE_ADS_API_BASE, read at each call, replaces both https://googleads.googleapis.com
and the OAuth origin https://oauth2.googleapis.com (tests point it at a local fake of both).
Errors say the HTTP status, Google's message and what to do.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://googleads.googleapis.com"
TOKEN_BASE = "https://oauth2.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/adwords"  # the manifest scope of both operations
KEY = "PROVIDER_GOOGLE_ADS_REFRESH_TOKEN"
DATE_RANGES = {"TODAY", "YESTERDAY", "LAST_7_DAYS", "LAST_30_DAYS", "THIS_MONTH", "LAST_MONTH"}


def _secret(key, required=True):
    name = f"PROVIDER_GOOGLE_ADS_{key}"
    value = os.environ.get(name)
    if not value and required:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _message(body):
    """Google's own words: the OAuth error, or the Ads API status and its detailed messages."""
    if isinstance(body["error"], str):  # the token endpoint
        return f"{body['error']}: {body.get('error_description')}"
    details = [e["message"] for d in body["error"].get("details", []) for e in d.get("errors", [])]
    return f"{body['error']['status']}: {'; '.join(details) or body['error']['message']}"


def _fail(err, hide, token):
    """The HTTP status, Google's message and what to do; none of the values in `hide`."""
    try:
        message = _message(json.loads(err.read()))
    except (ValueError, LookupError, TypeError, AttributeError):
        message = err.reason
    # A refused refresh (invalid_grant, invalid_client) is a key problem, whatever its status.
    status = 401 if token and 400 <= err.code < 500 else err.code
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: "the OAuth keys are wrong, expired or revoked; store a new refresh token with: "
                 f"sentinel vault set {KEY}",
            403: f"the account lacks the {SCOPE} scope or access to this customer (through a "
                 "manager? set PROVIDER_GOOGLE_ADS_LOGIN_CUSTOMER_ID), or the developer token "
                 "is not approved for it",
            404: "that customer or campaign does not exist; check the ids",
            429: f"rate limited; wait {wait} and retry"}.get(status) or (
        "Google failed; retry later" if status >= 500
        else "Google refused the request as sent; change the arguments as its message says")
    text = f"Google Ads API error (HTTP {err.code}): {str(message).rstrip('.')}"
    text = f"{text}. What to do: {todo}."
    for value in hide:
        text = text.replace(value, "***")
    return RuntimeError(text)


def _open(url, data, headers, hide, token=False):
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise _fail(err, hide, token) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {url}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err


def _post(customer_id, path, body):
    base = (os.environ.get("GODCONFIG_GOOGLE_ADS_API_BASE") or "").rstrip("/")
    secret, refresh, developer = (_secret(k) for k in
                                  ("CLIENT_SECRET", "REFRESH_TOKEN", "DEVELOPER_TOKEN"))
    form = urllib.parse.urlencode({"client_id": _secret("CLIENT_ID"), "client_secret": secret,
                                   "refresh_token": refresh, "grant_type": "refresh_token"})
    hide = [secret, refresh, developer]
    access = _open(f"{base or TOKEN_BASE}/token", form.encode(), {}, hide, True)["access_token"]
    headers = {"Authorization": f"Bearer {access}", "developer-token": developer,
               "Content-Type": "application/json"}
    login_id = _secret("LOGIN_CUSTOMER_ID", required=False)
    if login_id:
        headers["login-customer-id"] = login_id.replace("-", "")
    url = f"{base or API_BASE}/v21/customers/{customer_id}/{path}"
    return _open(url, json.dumps(body).encode(), headers, hide + [access])


def _cid(customer_id):
    cid = customer_id.replace("-", "")
    if not (cid.isdigit() and len(cid) == 10):
        raise ValueError("customer_id must be a 10-digit Google Ads customer id")
    return cid


def search_campaign_metrics(*, customer_id, date_range="LAST_30_DAYS"):
    if date_range not in DATE_RANGES:
        raise ValueError(f"date_range must be one of {sorted(DATE_RANGES)}")
    query = ("SELECT campaign.id, campaign.name, campaign.status, metrics.impressions, "
             "metrics.clicks, metrics.ctr, metrics.cost_micros, metrics.conversions "
             f"FROM campaign WHERE segments.date DURING {date_range}")
    result = _post(_cid(customer_id), "googleAds:search", {"query": query})
    return {"rows": result.get("results", [])}


def pause_campaign(*, customer_id, campaign_id):
    cid = _cid(customer_id)
    if not campaign_id.isdigit():
        raise ValueError("campaign_id must be numeric")
    op = {"update": {"resourceName": f"customers/{cid}/campaigns/{campaign_id}",
                     "status": "PAUSED"}, "updateMask": "status"}
    result = _post(cid, "campaigns:mutate", {"operations": [op]})
    return {"results": result.get("results", [])}
