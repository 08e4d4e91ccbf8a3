"""Meta Ads connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_META_ADS_* environment variables, injected by
`sentinel vault exec --connector meta_ads -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://graph.facebook.com/v21.0"
FIELDS = "campaign_name,impressions,clicks,ctr,spend,reach,purchase_roas"


def _secret(key):
    name = f"PROVIDER_META_ADS_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method, path, params):
    headers = {"Authorization": f"Bearer {_secret('ACCESS_TOKEN')}"}
    encoded = urllib.parse.urlencode(params)
    if method == "GET":
        req = urllib.request.Request(f"{API_BASE}{path}?{encoded}", headers=headers)
    else:
        req = urllib.request.Request(API_BASE + path, data=encoded.encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Meta Graph API error {err.code}: {err.read()[:500]!r}") from err


def _check_id(campaign_id):
    if not campaign_id.isdigit():
        raise ValueError("campaign_id must be numeric")
    return campaign_id


def get_campaign_insights(*, campaign_id, date_preset="last_30d"):
    result = _call("GET", f"/{_check_id(campaign_id)}/insights",
                   {"fields": FIELDS, "date_preset": date_preset})
    return {"rows": result.get("data", [])}


def pause_campaign(*, campaign_id):
    result = _call("POST", f"/{_check_id(campaign_id)}", {"status": "PAUSED"})
    return {"success": bool(result.get("success"))}
