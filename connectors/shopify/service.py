"""Shopify connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SHOPIFY_* environment variables, injected by
`sentinel vault exec --connector shopify -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.request

API_VERSION = "2025-07"


def _secret(key):
    name = f"PROVIDER_SHOPIFY_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _graphql(query, variables):
    shop = _secret("SHOP_DOMAIN").removeprefix("https://").rstrip("/")
    req = urllib.request.Request(
        f"https://{shop}/admin/api/{API_VERSION}/graphql.json",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"X-Shopify-Access-Token": _secret("ACCESS_TOKEN"),
                 "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Shopify API error {err.code}: {err.read()[:500]!r}") from err
    if payload.get("errors"):
        raise RuntimeError(f"Shopify GraphQL error: {payload['errors']}")
    return payload["data"]


def list_orders(*, status, limit=50):
    query = """query($first: Int!, $query: String) {
      orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) {
        nodes { id name createdAt displayFinancialStatus displayFulfillmentStatus
                totalPriceSet { shopMoney { amount currencyCode } } } } }"""
    search = None if status == "any" else f"status:{status}"
    data = _graphql(query, {"first": int(limit), "query": search})
    return {"orders": data["orders"]["nodes"]}


def create_product(*, title, description_html=None, vendor=None,
                   product_type=None, status="DRAFT"):
    mutation = """mutation($product: ProductCreateInput!) {
      productCreate(product: $product) {
        product { id title status handle } userErrors { field message } } }"""
    product = {"title": title, "descriptionHtml": description_html,
               "vendor": vendor, "productType": product_type, "status": status}
    product = {k: v for k, v in product.items() if v is not None}
    result = _graphql(mutation, {"product": product})["productCreate"]
    if result["userErrors"]:
        return {"ok": False, "errors": result["userErrors"]}
    return {"ok": True, "product": result["product"]}
