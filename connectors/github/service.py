"""GitHub connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_GITHUB_* environment variables, injected by
`sentinel vault exec --connector github -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://api.github.com"


def _secret(key):
    name = f"PROVIDER_GITHUB_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method, path, body=None):
    req = urllib.request.Request(
        API_BASE + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {_secret('ACCESS_TOKEN')}",
                 "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28",
                 "User-Agent": "god-config-sentinel-connector"},
        method=method,
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"GitHub API error {err.code}: {err.read()[:500]!r}") from err


def _seg(value):
    return urllib.parse.quote(value, safe="")


def list_org_teams(*, org, per_page=30):
    teams = _call("GET", f"/orgs/{_seg(org)}/teams?per_page={int(per_page)}")
    return {"teams": [{"id": t["id"], "slug": t["slug"], "name": t["name"],
                       "privacy": t.get("privacy")} for t in teams]}


def create_issue(*, owner, repo, title, body=None, labels=None):
    payload = {"title": title}
    if body is not None:
        payload["body"] = body
    if labels:
        payload["labels"] = list(labels)
    issue = _call("POST", f"/repos/{_seg(owner)}/{_seg(repo)}/issues", payload)
    return {"number": issue["number"], "url": issue["html_url"], "state": issue["state"]}
