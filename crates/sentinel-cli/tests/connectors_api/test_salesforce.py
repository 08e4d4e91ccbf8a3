"""connectors/salesforce/service.py against a fake of the Salesforce REST API."""
import unittest

from harness import FAKE_KEY, ConnectorCase

SOQL = "SELECT Id, Name FROM Account LIMIT 10"


class Salesforce(ConnectorCase, unittest.TestCase):
    slug = "salesforce"
    # Without GODCONFIG_SALESFORCE_API_BASE the org's instance URL is the origin.
    env = {"PROVIDER_SALESFORCE_ACCESS_TOKEN": FAKE_KEY,
           "PROVIDER_SALESFORCE_INSTANCE_URL": "https://acme.my.salesforce.com/"}
    args = {"run_soql_query": {"query": SOQL},
            "create_lead": {"last_name": "Lovelace", "company": "Analytical Engines"}}
    real_url = "https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT"

    def test_run_soql_query_ok(self):
        out = self.call("run_soql_query", "run_soql_query.ok", query=SOQL)
        self.assertEqual(out["total_size"], 1)
        self.assertTrue(out["done"])
        self.assertEqual(out["records"][0]["Name"], "Acme")
        self.sent("GET", "/services/data/v62.0/query", query={"q": SOQL})

    def test_run_soql_query_4xx_invalid_field(self):
        self.fails("run_soql_query", "run_soql_query.400",
                   "Salesforce refused the request as sent",
                   query="SELECT Id, Nme FROM Account")

    def test_create_lead_ok(self):
        out = self.call("create_lead", "create_lead.ok", last_name="Lovelace",
                        company="Analytical Engines", email="ada@example.com")
        self.assertEqual(out, {"id": "00Q5e00000AbCdEAAV", "success": True, "errors": []})
        self.sent("POST", "/services/data/v62.0/sobjects/Lead", json_body={
            "LastName": "Lovelace", "Company": "Analytical Engines", "Email": "ada@example.com"})

    def test_create_lead_4xx_required_field_missing(self):
        self.fails("create_lead", "create_lead.400", "Salesforce refused the request as sent",
                   last_name="Lovelace", company="")
