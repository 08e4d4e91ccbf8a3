"""connectors/meta_ads/service.py against a fake of the Meta Graph (Marketing) API."""
import unittest

from harness import FAKE_KEY, ConnectorCase

FIELDS = "campaign_name,impressions,clicks,ctr,spend,reach,purchase_roas"


class MetaAds(ConnectorCase, unittest.TestCase):
    slug = "meta_ads"
    env = {"PROVIDER_META_ADS_ACCESS_TOKEN": FAKE_KEY}
    args = {"get_campaign_insights": {"campaign_id": "120200000000000000"},
            "pause_campaign": {"campaign_id": "120200000000000000"}}
    real_url = "https://graph.facebook.com/v21.0/120200000000000000/insights?"

    def test_get_campaign_insights_ok(self):
        out = self.call("get_campaign_insights", "get_campaign_insights.ok",
                        campaign_id="120200000000000000", date_preset="last_7d")
        self.assertEqual(out["rows"][0]["spend"], "152.40")
        self.assertEqual(out["rows"][0]["campaign_name"], "Spring sale")
        self.sent("GET", "/v21.0/120200000000000000/insights",
                  query={"fields": FIELDS, "date_preset": "last_7d"})

    def test_get_campaign_insights_4xx_no_such_campaign(self):
        # Meta answers 400 with code 100, subcode 33: the id does not exist or is not visible.
        self.fails("get_campaign_insights", "get_campaign_insights.400",
                   "that campaign does not exist or the token cannot see it",
                   **self.args["get_campaign_insights"])

    def test_pause_campaign_ok(self):
        out = self.call("pause_campaign", "pause_campaign.ok", campaign_id="120200000000000000")
        self.assertEqual(out, {"success": True})
        self.sent("POST", "/v21.0/120200000000000000", form={"status": "PAUSED"})

    def test_pause_campaign_4xx_invalid_parameter(self):
        self.fails("pause_campaign", "pause_campaign.400", "Meta refused the request as sent",
                   **self.args["pause_campaign"])
