"""connectors/google_ads/service.py against a fake of Google's OAuth and Google Ads APIs."""
import unittest

from harness import FAKE_KEY, ConnectorCase

QUERY = ("SELECT campaign.id, campaign.name, campaign.status, metrics.impressions, "
         "metrics.clicks, metrics.ctr, metrics.cost_micros, metrics.conversions "
         "FROM campaign WHERE segments.date DURING LAST_7_DAYS")


class GoogleAds(ConnectorCase, unittest.TestCase):
    slug = "google_ads"
    env = {"PROVIDER_GOOGLE_ADS_CLIENT_ID": "1234-abc.apps.googleusercontent.com",
           "PROVIDER_GOOGLE_ADS_CLIENT_SECRET": f"{FAKE_KEY}-client-secret",
           "PROVIDER_GOOGLE_ADS_REFRESH_TOKEN": f"{FAKE_KEY}-refresh",
           "PROVIDER_GOOGLE_ADS_DEVELOPER_TOKEN": f"{FAKE_KEY}-developer",
           "PROVIDER_GOOGLE_ADS_LOGIN_CUSTOMER_ID": "987-654-3210"}
    # The access token comes from the recorded OAuth answer (token.ok), asked before each call.
    auth = ("authorization", f"Bearer ya29.{FAKE_KEY}-access")
    before = ("token.ok",)
    args = {"search_campaign_metrics": {"customer_id": "123-456-7890"},
            "pause_campaign": {"customer_id": "1234567890", "campaign_id": "111"}}
    real_url = "https://oauth2.googleapis.com/token"

    def assert_token_request(self):
        token = self.fake.requests[0]
        self.assertEqual((token.method, token.path), ("POST", "/token"))
        self.assertEqual(token.form(), {
            "client_id": "1234-abc.apps.googleusercontent.com",
            "client_secret": f"{FAKE_KEY}-client-secret",
            "refresh_token": f"{FAKE_KEY}-refresh", "grant_type": "refresh_token"})

    def test_search_campaign_metrics_ok(self):
        out = self.call("search_campaign_metrics", "search_campaign_metrics.ok",
                        customer_id="123-456-7890", date_range="LAST_7_DAYS")
        self.assertEqual(out["rows"][0]["campaign"]["name"], "Brand")
        self.assertEqual(out["rows"][0]["metrics"]["costMicros"], "35000000")
        self.assert_token_request()
        req = self.sent("POST", "/v21/customers/1234567890/googleAds:search",
                        json_body={"query": QUERY})
        self.assertEqual(req.headers["developer-token"], f"{FAKE_KEY}-developer")
        self.assertEqual(req.headers["login-customer-id"], "9876543210")

    def test_search_campaign_metrics_4xx_invalid_customer(self):
        self.fails("search_campaign_metrics", "search_campaign_metrics.400",
                   "Google refused the request as sent", customer_id="123-456-7890")

    def test_pause_campaign_ok(self):
        out = self.call("pause_campaign", "pause_campaign.ok", **self.args["pause_campaign"])
        self.assertEqual(out, {"results": [{"resourceName": "customers/1234567890/campaigns/111"}]})
        self.assert_token_request()
        self.sent("POST", "/v21/customers/1234567890/campaigns:mutate", json_body={"operations": [
            {"update": {"resourceName": "customers/1234567890/campaigns/111", "status": "PAUSED"},
             "updateMask": "status"}]})

    def test_pause_campaign_4xx_not_found(self):
        self.fails("pause_campaign", "pause_campaign.400", "Google refused the request as sent",
                   **self.args["pause_campaign"])

    def test_a_refused_refresh_token_says_to_store_a_new_one(self):
        self.before = ()  # the OAuth answer itself is the failure
        self.fails("search_campaign_metrics", "token.invalid_grant",
                   "store a new refresh token with: sentinel vault set "
                   "PROVIDER_GOOGLE_ADS_REFRESH_TOKEN", customer_id="123-456-7890")
        self.assertEqual(len(self.fake.requests), 1)
