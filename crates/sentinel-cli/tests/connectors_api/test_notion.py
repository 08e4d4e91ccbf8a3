"""connectors/notion/service.py against a fake of the Notion API."""
import unittest

from harness import FAKE_KEY, ConnectorCase

PAGE = "59833787-2cf9-4fdf-8782-e53db20768a5"


class Notion(ConnectorCase, unittest.TestCase):
    slug = "notion"
    env = {"PROVIDER_NOTION_ACCESS_TOKEN": FAKE_KEY}
    args = {"search_pages": {"query": "kale"},
            "create_page": {"parent_page_id": PAGE, "title": "Launch notes"}}
    real_url = "https://api.notion.com/v1/search"

    def test_search_pages_ok(self):
        out = self.call("search_pages", "search_pages.ok", query="kale", page_size=5)
        self.assertEqual(out, {"has_more": False, "pages": [{
            "id": PAGE, "title": "Tuscan kale", "last_edited_time": "2022-07-06T20:25:00.000Z",
            "url": "https://www.notion.so/Tuscan-kale-598337872cf94fdf8782e53db20768a5"}]})
        req = self.sent("POST", "/v1/search", json_body={
            "query": "kale", "page_size": 5, "filter": {"property": "object", "value": "page"}})
        self.assertEqual(req.headers["notion-version"], "2025-09-03")

    def test_search_pages_4xx_validation_error(self):
        self.fails("search_pages", "search_pages.400", "validation_error",
                   "Notion refused the request as sent", query="kale", page_size=101)

    def test_create_page_ok(self):
        out = self.call("create_page", "create_page.ok", parent_page_id=PAGE,
                        title="Launch notes", content="First draft.")
        self.assertEqual(out, {"id": "2a7ad9d0-3c6e-4b2b-a0a4-7c9f0e1d2b3c",
                               "url": "https://www.notion.so/Launch-notes-2a7ad9d03c6e4b2ba0a47c9f0e1d2b3c"})
        self.sent("POST", "/v1/pages", json_body={
            "parent": {"page_id": PAGE},
            "properties": {"title": {"title": [{"text": {"content": "Launch notes"}}]}},
            "children": [{"object": "block", "type": "paragraph", "paragraph": {
                "rich_text": [{"text": {"content": "First draft."}}]}}]})

    def test_create_page_4xx_not_found_or_not_shared(self):
        self.fails("create_page", "create_page.404", "object_not_found",
                   "does not exist or is not shared with the integration",
                   **self.args["create_page"])
