"""connectors/shopify/service.py against a fake of the Shopify Admin GraphQL API."""
import unittest
from unittest import mock

from harness import FAKE_KEY, ConnectorCase

GRAPHQL = "/admin/api/2025-07/graphql.json"


class Shopify(ConnectorCase, unittest.TestCase):
    slug = "shopify"
    # Without GODCONFIG_SHOPIFY_API_BASE the shop's own domain is the origin.
    env = {"PROVIDER_SHOPIFY_ACCESS_TOKEN": FAKE_KEY,
           "PROVIDER_SHOPIFY_SHOP_DOMAIN": "https://acme.myshopify.com/"}
    auth = ("x-shopify-access-token", FAKE_KEY)
    args = {"list_orders": {"status": "open"}, "create_product": {"title": "Mug"}}
    real_url = f"https://acme.myshopify.com{GRAPHQL}"

    def test_list_orders_ok(self):
        out = self.call("list_orders", "list_orders.ok", status="open", limit=10)
        self.assertEqual([o["name"] for o in out["orders"]], ["#1001"])
        self.assertEqual(out["orders"][0]["totalPriceSet"]["shopMoney"]["amount"], "49.90")
        req = self.sent("POST", GRAPHQL, json_body={
            "query": mock.ANY, "variables": {"first": 10, "query": "status:open"}})
        self.assertIn("orders(first: $first, query: $query", req.json()["query"])

    def test_list_orders_4xx_no_such_shop(self):
        self.fails("list_orders", "list_orders.404", "PROVIDER_SHOPIFY_SHOP_DOMAIN", status="any")
        self.assertEqual(self.fake.requests[-1].json()["variables"], {"first": 50, "query": None})

    def test_create_product_ok(self):
        out = self.call("create_product", "create_product.ok", title="Mug", vendor="Acme")
        self.assertEqual(out, {"ok": True, "product": {
            "id": "gid://shopify/Product/1", "title": "Mug", "status": "DRAFT", "handle": "mug"}})
        req = self.sent("POST", GRAPHQL, json_body={"query": mock.ANY, "variables": {
            "product": {"title": "Mug", "vendor": "Acme", "status": "DRAFT"}}})
        self.assertIn("productCreate(product: $product)", req.json()["query"])

    def test_create_product_ok_with_user_errors(self):
        out = self.call("create_product", "create_product.ok_user_errors", title=" ")
        self.assertEqual(out, {"ok": False, "errors": [
            {"field": ["title"], "message": "Title can't be blank"}]})

    def test_create_product_4xx_invalid_variable(self):
        # GraphQL refuses bad variables with HTTP 200 and an errors list.
        self.fails("create_product", "create_product.invalid_variable",
                   "Shopify refused the request as sent", title="Mug", status="PUBLISHED")
