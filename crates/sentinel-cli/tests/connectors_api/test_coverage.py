"""Every shipped connector has its API tests: test_<slug>.py with one ConnectorCase for it."""
import importlib
import unittest

import harness


class EveryShippedConnectorIsTested(unittest.TestCase):
    def test_each_connector_folder_has_a_test_class(self):
        for slug in harness.shipped():
            with self.subTest(slug=slug):
                module = importlib.import_module(f"test_{slug}")
                cases = [c for c in vars(module).values() if isinstance(c, type)
                         and issubclass(c, harness.ConnectorCase)
                         and issubclass(c, unittest.TestCase) and c.slug == slug]
                self.assertEqual(len(cases), 1, f"test_{slug}.py has no ConnectorCase for {slug}")

    def test_the_manifest_reader_finds_operations(self):
        self.assertEqual(harness.operations("stripe"), {
            "retrieve_payment_intent": "payment_intent_read", "create_refund": "refund_write"})
