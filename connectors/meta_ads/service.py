"""Meta Ads connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_META_ADS_* environment variables, injected by
`sentinel vault exec --connector meta_ads -- <cmd>`. Importing has no side effects.
GODCONFIG_META_ADS_API_BASE, read at each call, replaces https://graph.facebook.com (tests
point it at a local fake of the API). Errors say the HTTP status, Meta's message and what to do.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://graph.facebook.com"
API_VERSION = "v21.0"
KEY = "PROVIDER_META_ADS_ACCESS_TOKEN"
FIELDS = "campaign_name,impressions,clicks,ctr,spend,reach,purchase_roas"


def _secret(key):
    name = f"PROVIDER_META_ADS_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _kind(status, code, subcode):
    """Meta sends most errors as HTTP 400; its error code says what happened."""
    if not isinstance(code, int):
        return status
    if code == 190:  # invalid or expired access token
        return 401
    if code == 10 or 200 <= code <= 299:  # permission errors
        return 403
    if code == 100 and subcode == 33:  # no such object, or not visible to this token
        return 404
    if code in (4, 17, 32, 613) or 80000 <= code <= 80014:  # rate limits
        return 429
    return 500 if code in (1, 2) else status  # unknown or temporary errors


def _fail(err, scope, key):
    """The HTTP status, Meta's own message, type and code and what to do; never the token."""
    try:
        error = json.loads(err.read())["error"]
        message = f"{error['message']} ({error.get('type')}, code {error.get('code')})"
        if error.get("error_user_msg"):  # Meta's words for the person, when it has some
            message += f": {error['error_user_msg']}"
    except (ValueError, LookupError, TypeError):
        error, message = {}, err.reason
    status = _kind(err.code, error.get("code"), error.get("error_subcode"))
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or expired; store a new one with: sentinel vault set {KEY}",
            403: f"the token lacks the {scope} permission; grant it to the app, then: "
                 f"sentinel vault set {KEY}",
            404: "that campaign does not exist or the token cannot see it; check the id",
            429: f"rate limited; wait {wait} and retry"}.get(status) or (
        "Meta failed; retry later" if status >= 500
        else "Meta refused the request as sent; change the arguments as its message says")
    text = f"Meta Graph API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _call(method, path, scope, params):
    key = _secret("ACCESS_TOKEN")
    headers = {"Authorization": f"Bearer {key}"}
    base = (os.environ.get("GODCONFIG_META_ADS_API_BASE") or API_BASE).rstrip("/")
    url, encoded = f"{base}/{API_VERSION}{path}", urllib.parse.urlencode(params)
    if method == "GET":
        req = urllib.request.Request(f"{url}?{encoded}", headers=headers)
    else:
        req = urllib.request.Request(url, data=encoded.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise _fail(err, scope, key) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err


def _check_id(campaign_id):
    if not campaign_id.isdigit():
        raise ValueError("campaign_id must be numeric")
    return campaign_id


def get_campaign_insights(*, campaign_id, date_preset="last_30d"):
    result = _call("GET", f"/{_check_id(campaign_id)}/insights", "ads_read",
                   {"fields": FIELDS, "date_preset": date_preset})
    return {"rows": result.get("data", [])}


def pause_campaign(*, campaign_id):
    result = _call("POST", f"/{_check_id(campaign_id)}", "ads_management", {"status": "PAUSED"})
    return {"success": bool(result.get("success"))}
