"""connectors/github/service.py against a fake of the GitHub REST API."""
import time
import unittest

from harness import FAKE_KEY, ConnectorCase, recorded


class GitHub(ConnectorCase, unittest.TestCase):
    slug = "github"
    env = {"PROVIDER_GITHUB_ACCESS_TOKEN": FAKE_KEY}
    args = {"list_org_teams": {"org": "octo-org"},
            "create_issue": {"owner": "octocat", "repo": "Hello-World", "title": "Found a bug"}}
    real_url = "https://api.github.com/orgs/octo-org/teams"

    def test_list_org_teams_ok(self):
        out = self.call("list_org_teams", "list_org_teams.ok", org="octo-org", per_page=50)
        self.assertEqual(out, {"teams": [
            {"id": 1, "slug": "justice-league", "name": "Justice League", "privacy": "closed"},
            {"id": 2, "slug": "docs", "name": "Docs", "privacy": "secret"}]})
        req = self.sent("GET", "/orgs/octo-org/teams", query={"per_page": "50"})
        self.assertEqual(req.headers["x-github-api-version"], "2022-11-28")

    def test_list_org_teams_4xx_not_found(self):
        self.fails("list_org_teams", "list_org_teams.404",
                   "does not exist, or the token cannot see it (it needs the read:org scope)",
                   org="no-such-org")

    def test_create_issue_ok(self):
        out = self.call("create_issue", "create_issue.ok", owner="octocat", repo="Hello-World",
                        title="Found a bug", body="I'm having a problem with this.",
                        labels=["bug"])
        self.assertEqual(out, {"number": 1347, "state": "open",
                               "url": "https://github.com/octocat/Hello-World/issues/1347"})
        self.sent("POST", "/repos/octocat/Hello-World/issues", json_body={
            "title": "Found a bug", "body": "I'm having a problem with this.", "labels": ["bug"]})

    def test_create_issue_4xx_validation_failed(self):
        message = self.fails("create_issue", "create_issue.422",
                             "GitHub refused the request as sent", labels=["nope"],
                             **self.args["create_issue"])
        self.assertIn("'field': 'name', 'code': 'invalid'", message)

    def test_primary_rate_limit_is_a_403_that_says_when_it_resets(self):
        answer = recorded("github", "primary_rate_limit")
        answer["headers"]["x-ratelimit-reset"] = str(int(time.time()) + 120)
        message = self.fails("list_org_teams", answer, "rate limited; wait")
        self.assertRegex(message, r"wait 1[12]\d seconds")
