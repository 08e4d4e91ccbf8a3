"""Google Ads connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_GOOGLE_ADS_* environment variables, injected by
`sentinel vault exec --connector google_ads -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://googleads.googleapis.com/v21"
DATE_RANGES = {"TODAY", "YESTERDAY", "LAST_7_DAYS", "LAST_30_DAYS", "THIS_MONTH", "LAST_MONTH"}


def _secret(key, required=True):
    name = f"PROVIDER_GOOGLE_ADS_{key}"
    value = os.environ.get(name)
    if not value and required:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _open(req):
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Google API error {err.code}: {err.read()[:500]!r}") from err


def _access_token():
    form = urllib.parse.urlencode({
        "client_id": _secret("CLIENT_ID"), "client_secret": _secret("CLIENT_SECRET"),
        "refresh_token": _secret("REFRESH_TOKEN"), "grant_type": "refresh_token"}).encode()
    return _open(urllib.request.Request("https://oauth2.googleapis.com/token", data=form,
                                        method="POST"))["access_token"]


def _post(customer_id, path, body):
    headers = {"Authorization": f"Bearer {_access_token()}",
               "developer-token": _secret("DEVELOPER_TOKEN"), "Content-Type": "application/json"}
    login_id = _secret("LOGIN_CUSTOMER_ID", required=False)
    if login_id:
        headers["login-customer-id"] = login_id.replace("-", "")
    url = f"{API_BASE}/customers/{customer_id}/{path}"
    return _open(urllib.request.Request(url, data=json.dumps(body).encode(),
                                        headers=headers, method="POST"))


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
