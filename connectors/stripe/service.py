"""Stripe connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_STRIPE_* environment variables, injected by
`sentinel vault exec --connector stripe -- <cmd>`. Importing has no side effects.
GODCONFIG_STRIPE_API_BASE, read at each call, replaces https://api.stripe.com (tests point it
at a local fake of the API). Errors say the HTTP status, Stripe's message and what to do.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://api.stripe.com"
KEY = "PROVIDER_STRIPE_API_KEY"


def _secret(key):
    name = f"PROVIDER_STRIPE_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _fail(err, scope, key):
    """The HTTP status, Stripe's own message and what to do; never the key."""
    try:
        message = json.loads(err.read())["error"]["message"]
    except (ValueError, LookupError, TypeError):
        message = err.reason
    after = err.headers.get("Retry-After", "")  # seconds, or an HTTP date
    wait = f"until {after}" if after[:1].isalpha() else f"{after or 'a few'} seconds"
    todo = {401: f"the key is wrong or expired; store a new one with: sentinel vault set {KEY}",
            403: f"the key lacks the {scope} permission; add it to the restricted key in the "
                 "Stripe Dashboard",
            404: "that id does not exist; check it",
            429: f"rate limited; wait {wait} and retry"}.get(err.code) or (
        "Stripe failed; retry later" if err.code >= 500
        else "Stripe refused the request as sent; change the arguments as its message says")
    text = f"Stripe API error (HTTP {err.code}): {str(message).rstrip('.')}"
    return RuntimeError(f"{text}. What to do: {todo}.".replace(key, "***"))


def _call(method, path, scope, form=None, idempotency_key=None):
    key = _secret("API_KEY")
    headers = {"Authorization": f"Bearer {key}"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode({k: v for k, v in form.items() if v is not None}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    base = (os.environ.get("GODCONFIG_STRIPE_API_BASE") or API_BASE).rstrip("/")
    req = urllib.request.Request(base + "/v1" + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise _fail(err, scope, key) from err
    except OSError as err:  # refused, DNS, TLS, timeout
        raise RuntimeError(f"cannot reach {base}: {getattr(err, 'reason', err)}; "
                           "check the network connection and retry") from err


def retrieve_payment_intent(*, payment_intent):
    pi = _call("GET", "/payment_intents/" + urllib.parse.quote(payment_intent, safe=""),
               "payment_intent_read")
    keys = ("id", "status", "amount", "amount_received", "currency", "customer", "created")
    return {k: pi.get(k) for k in keys}


def create_refund(*, payment_intent, amount=None, reason=None, idempotency_key=None):
    refund = _call("POST", "/refunds", "refund_write",
                   {"payment_intent": payment_intent, "amount": amount, "reason": reason},
                   idempotency_key=idempotency_key)
    keys = ("id", "status", "amount", "currency", "payment_intent", "reason")
    return {k: refund.get(k) for k in keys}
