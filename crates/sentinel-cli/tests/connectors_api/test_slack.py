"""connectors/slack/service.py against a fake of the Slack Web API."""
import unittest

from harness import FAKE_KEY, ConnectorCase


class Slack(ConnectorCase, unittest.TestCase):
    slug = "slack"
    env = {"PROVIDER_SLACK_BOT_TOKEN": FAKE_KEY}
    args = {"get_channel_info": {"channel": "C012AB3CD"},
            "post_message": {"channel": "C012AB3CD", "text": "Deploy done"}}
    real_url = "https://slack.com/api/conversations.info?"

    def test_get_channel_info_ok(self):
        out = self.call("get_channel_info", "get_channel_info.ok", channel="C012AB3CD")
        self.assertEqual(out, {"id": "C012AB3CD", "name": "general",
                               "topic": "Company-wide announcements",
                               "purpose": "This channel is for team-wide communication.",
                               "num_members": 23, "is_archived": False})
        self.sent("GET", "/api/conversations.info",
                  query={"channel": "C012AB3CD", "include_num_members": "true"})

    def test_get_channel_info_4xx_channel_not_found(self):
        # Slack answers its errors with HTTP 200 and {"ok": false, "error": code}.
        self.fails("get_channel_info", "get_channel_info.channel_not_found",
                   "that channel or thread does not exist", channel="C000000000")

    def test_post_message_ok(self):
        out = self.call("post_message", "post_message.ok", channel="C012AB3CD",
                        text="Deploy done", thread_ts="1503435950.000100")
        self.assertEqual(out, {"ok": True, "channel": "C012AB3CD", "ts": "1503435956.000247"})
        self.sent("POST", "/api/chat.postMessage", json_body={
            "channel": "C012AB3CD", "text": "Deploy done", "thread_ts": "1503435950.000100"})

    def test_post_message_4xx_not_in_channel(self):
        self.fails("post_message", "post_message.not_in_channel", "invite the app to that channel",
                   **self.args["post_message"])
