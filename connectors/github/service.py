"""GitHub connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_GITHUB_* environment variables, injected by
`sentinel vault exec --connector github -- <cmd>`. Importing has no side effects.
GODCONFIG_GITHUB_API_BASE, read at each call, replaces https://api.github.com (tests point it
at a local fake of the API). Errors say the HTTP status, GitHub's message and what to do.
"""
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://api.github.com"
KEY = "PROVIDER_GITHUB_ACCESS_TOKEN"


def _secret(key):
    name = f"PROVIDER_GITHUB_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(err, scope, key):
    """The HTTP status, GitHub's own message and what to do; never the token."""
    try:
        body = json.loads(err.read())
        message = body["message"] + (f" {body['errors']}" if body.get("errors") else "")
    except (ValueError, LookupError, TypeError, AttributeError):
        message = err.reason
    headers = err.headers
    after = headers.get("Retry-After", "")  # seconds, or an HTTP date
    # GitHub answers a spent rate limit with 403 (or 429) and says when it resets.
    limited = err.code == 403 and (after or headers.get("x-ratelimit-remaining") == "0")
    status = 429 if limited else err.code
    if status == 429 and not after and headers.get("x-ratelimit-reset", "").isdigit():
        after = str(max(1, int(headers["x-ratelimit-reset"]) - int(time.time())))
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or expired; store a new one with: sentinel vault set {KEY}",
            403: f"the token lacks the {scope} scope (or access to this org or repository); "
                 f"grant it, then: sentinel vault set {KEY}",
            404: f"that org or repository does not exist, or the token cannot see it "
                 f"(it needs the {scope} scope)",
            429: f"rate limited; wait {wait} and retry"}.get(status) or (
        "GitHub failed; retry later" if status >= 500
        else "GitHub refused the request as sent; change the arguments as its message says")
    text = f"GitHub API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _call(method, path, scope, body=None):
    key = _secret("ACCESS_TOKEN")
    base = (os.environ.get("GODCONFIG_GITHUB_API_BASE") or API_BASE).rstrip("/")
    req = urllib.request.Request(
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}",
                 "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28",
                 "User-Agent": "god-config-sentinel-connector"},
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


def _seg(value):
    return urllib.parse.quote(value, safe="")


def list_org_teams(*, org, per_page=30):
    teams = _call("GET", f"/orgs/{_seg(org)}/teams?per_page={int(per_page)}", "read:org")
    return {"teams": [{"id": t["id"], "slug": t["slug"], "name": t["name"],
                       "privacy": t.get("privacy")} for t in teams]}


def create_issue(*, owner, repo, title, body=None, labels=None):
    payload = {"title": title}
    if body is not None:
        payload["body"] = body
    if labels:
        payload["labels"] = list(labels)
    issue = _call("POST", f"/repos/{_seg(owner)}/{_seg(repo)}/issues", "repo", payload)
    return {"number": issue["number"], "url": issue["html_url"], "state": issue["state"]}
