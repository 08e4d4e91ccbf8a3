"""connectors/hubspot/service.py against a fake of the HubSpot CRM API."""
import unittest

from harness import FAKE_KEY, ConnectorCase

PROPERTIES = ["dealname", "amount", "dealstage", "closedate", "pipeline"]


class HubSpot(ConnectorCase, unittest.TestCase):
    slug = "hubspot"
    env = {"PROVIDER_HUBSPOT_ACCESS_TOKEN": FAKE_KEY}
    args = {"search_deals": {"query": "Acme"}, "create_contact": {"email": "ada@example.com"}}
    real_url = "https://api.hubapi.com/crm/v3/objects/deals/search"

    def test_search_deals_ok(self):
        out = self.call("search_deals", "search_deals.ok", query="Acme", limit=5)
        self.assertEqual(out["total"], 1)
        self.assertEqual(out["deals"], [{
            "id": "512", "amount": "1500.00", "closedate": "2025-01-31T00:00:00Z",
            "createdate": "2025-01-02T09:00:00.000Z", "dealname": "Acme renewal",
            "dealstage": "contractsent", "hs_lastmodifieddate": "2025-01-20T16:30:00.000Z",
            "hs_object_id": "512", "pipeline": "default"}])
        self.sent("POST", "/crm/v3/objects/deals/search",
                  json_body={"query": "Acme", "limit": 5, "properties": PROPERTIES})

    def test_search_deals_4xx_invalid(self):
        self.fails("search_deals", "search_deals.400", "(VALIDATION_ERROR)",
                   "HubSpot refused the request as sent", query="Acme", limit=500)

    def test_create_contact_ok(self):
        out = self.call("create_contact", "create_contact.ok", email="ada@example.com",
                        first_name="Ada", lifecycle_stage="lead")
        self.assertEqual(out["id"], "1201")
        self.assertEqual(out["properties"]["email"], "ada@example.com")
        self.assertEqual(out["properties"]["lifecyclestage"], "lead")
        self.sent("POST", "/crm/v3/objects/contacts", json_body={"properties": {
            "email": "ada@example.com", "firstname": "Ada", "lifecyclestage": "lead"}})

    def test_create_contact_4xx_already_exists(self):
        self.fails("create_contact", "create_contact.409", "(CONFLICT)",
                   "HubSpot refused the request as sent", email="ada@example.com")
