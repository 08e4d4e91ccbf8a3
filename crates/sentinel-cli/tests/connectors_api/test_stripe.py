"""connectors/stripe/service.py against a fake of the Stripe API."""
import unittest

from harness import FAKE_KEY, ConnectorCase

PI = "pi_3MtwBwLkdIwHu7ix28a3tqPa"


class Stripe(ConnectorCase, unittest.TestCase):
    slug = "stripe"
    env = {"PROVIDER_STRIPE_API_KEY": FAKE_KEY}
    args = {"retrieve_payment_intent": {"payment_intent": PI},
            "create_refund": {"payment_intent": PI, "amount": 1000}}
    real_url = "https://api.stripe.com/v1/payment_intents/"

    def test_retrieve_payment_intent_ok(self):
        out = self.call("retrieve_payment_intent", "retrieve_payment_intent.ok", payment_intent=PI)
        self.assertEqual(out, {"id": PI, "status": "succeeded", "amount": 2000,
                               "amount_received": 2000, "currency": "usd",
                               "customer": "cus_NffrFeUfNV2Hib", "created": 1680800504})
        self.sent("GET", f"/v1/payment_intents/{PI}")

    def test_retrieve_payment_intent_4xx_no_such_id(self):
        self.fails("retrieve_payment_intent", "retrieve_payment_intent.404",
                   "that id does not exist", payment_intent="pi_missing")
        self.sent("GET", "/v1/payment_intents/pi_missing")

    def test_create_refund_ok(self):
        out = self.call("create_refund", "create_refund.ok", payment_intent=PI, amount=1000,
                        reason="requested_by_customer", idempotency_key="refund-order-1001")
        self.assertEqual(out, {"id": "re_3MtwBwLkdIwHu7ix0Jx1Xq2c", "status": "succeeded",
                               "amount": 1000, "currency": "usd", "payment_intent": PI,
                               "reason": "requested_by_customer"})
        req = self.sent("POST", "/v1/refunds", form={
            "payment_intent": PI, "amount": "1000", "reason": "requested_by_customer"})
        self.assertEqual(req.headers["idempotency-key"], "refund-order-1001")
        self.assertEqual(req.headers["content-type"], "application/x-www-form-urlencoded")

    def test_create_refund_4xx_already_refunded(self):
        self.fails("create_refund", "create_refund.400",
                   "Stripe refused the request as sent", payment_intent=PI)
        self.sent("POST", "/v1/refunds", form={"payment_intent": PI})
