"""Stripe connector: one function per manifest operation. Stdlib only.

Secrets come from PROVIDER_STRIPE_* environment variables, injected by
`sentinel vault exec --connector stripe -- <cmd>`. Importing has no side effects.
"""
import json
import os
import urllib.error
import urllib.parse
import urllib.request

API_BASE = "https://api.stripe.com/v1"


def _secret(key):
    name = f"PROVIDER_STRIPE_{key}"
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set; run: sentinel vault set {name}")
    return value


def _call(method, path, form=None, idempotency_key=None):
    headers = {"Authorization": f"Bearer {_secret('API_KEY')}"}
    data = None
    if form is not None:
        data = urllib.parse.urlencode({k: v for k, v in form.items() if v is not None}).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    req = urllib.request.Request(API_BASE + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        raise RuntimeError(f"Stripe API error {err.code}: {err.read()[:500]!r}") from err


def retrieve_payment_intent(*, payment_intent):
    pi = _call("GET", "/payment_intents/" + urllib.parse.quote(payment_intent, safe=""))
    keys = ("id", "status", "amount", "amount_received", "currency", "customer", "created")
    return {k: pi.get(k) for k in keys}


def create_refund(*, payment_intent, amount=None, reason=None, idempotency_key=None):
    refund = _call("POST", "/refunds",
                   {"payment_intent": payment_intent, "amount": amount, "reason": reason},
                   idempotency_key=idempotency_key)
    keys = ("id", "status", "amount", "currency", "payment_intent", "reason")
    return {k: refund.get(k) for k in keys}
