"""Shopify connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_SHOPIFY_* environment variables, injected by
`sentinel vault exec --connector shopify -- <cmd>`. Importing has no side effects.
GODCONFIG_SHOPIFY_API_BASE, read at each call, replaces the shop's origin
(https://<PROVIDER_SHOPIFY_SHOP_DOMAIN>); tests point it at a local fake of the API.
Errors say the HTTP status, Shopify's errors and what to do.
"""
import json
import os
import urllib.error
import urllib.request

API_VERSION = "2025-07"
KEY = "PROVIDER_SHOPIFY_ACCESS_TOKEN"
# GraphQL answers its own errors with HTTP 200; extensions.code says which kind.
KINDS = {"ACCESS_DENIED": 403, "THROTTLED": 429, "INTERNAL_SERVER_ERROR": 500}


def _secret(key):
    name = f"PROVIDER_SHOPIFY_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(status, errors, after, scope, token):
    """The HTTP status, Shopify's own errors and what to do; never the token."""
    kind = status
    if isinstance(errors, list):  # GraphQL: [{"message": ..., "extensions": {"code": ...}}]
        codes = [(e.get("extensions") or {}).get("code") for e in errors]
        kind = next((KINDS[c] for c in codes if c in KINDS), 400 if status < 300 else status)
        errors = "; ".join(e.get("message", "") for e in errors)
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the token is wrong or revoked; store a new one with: sentinel vault set {KEY}",
            403: f"the app lacks the {scope} access scope; add it, have the merchant approve it, "
                 f"then: sentinel vault set {KEY}",
            404: "that shop or API version does not exist; check PROVIDER_SHOPIFY_SHOP_DOMAIN",
            429: f"rate limited; wait {wait} and retry"}.get(kind) or (
        "Shopify failed; retry later" if kind >= 500
        else "Shopify refused the request as sent; change the arguments as its errors say")
    text = f"Shopify API error (HTTP {status}): {str(errors).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(token, "***"))


def _graphql(query, variables, scope):
    token = _secret("ACCESS_TOKEN")
    base = os.environ.get("GODCONFIG_SHOPIFY_API_BASE") or (
        "https://" + _secret("SHOP_DOMAIN").removeprefix("https://"))
    base = base.rstrip("/")
    req = urllib.request.Request(
        f"{base}/admin/api/{API_VERSION}/graphql.json",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"X-Shopify-Access-Token": token, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.load(resp)
    except urllib.error.HTTPError as err:
        try:
            errors = json.loads(err.read())["errors"]  # a string, a list or a mapping
        except (ValueError, LookupError, TypeError):
            errors = err.reason
        raise _fail(err.code, errors, err.headers.get("Retry-After", ""), scope, token) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err
    if payload.get("errors"):
        raise _fail(200, payload["errors"], "", scope, token)
    return payload["data"]


def list_orders(*, status, limit=50):
    query = """query($first: Int!, $query: String) {
      orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) {
        nodes { id name createdAt displayFinancialStatus displayFulfillmentStatus
                totalPriceSet { shopMoney { amount currencyCode } } } } }"""
    search = None if status == "any" else f"status:{status}"
    data = _graphql(query, {"first": int(limit), "query": search}, "read_orders")
    return {"orders": data["orders"]["nodes"]}


def create_product(*, title, description_html=None, vendor=None,
                   product_type=None, status="DRAFT"):
    mutation = """mutation($product: ProductCreateInput!) {
      productCreate(product: $product) {
        product { id title status handle } userErrors { field message } } }"""
    product = {"title": title, "descriptionHtml": description_html,
               "vendor": vendor, "productType": product_type, "status": status}
    product = {k: v for k, v in product.items() if v is not None}
    result = _graphql(mutation, {"product": product}, "write_products")["productCreate"]
    if result["userErrors"]:
        return {"ok": False, "errors": result["userErrors"]}
    return {"ok": True, "product": result["product"]}
