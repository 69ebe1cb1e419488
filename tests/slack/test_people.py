"""Names for the record: users.info, cached; ids kept when Slack cannot say."""

from __future__ import annotations

from harness import GOOD, all_text
from harness import open_modal as _open_modal
from harness import start_checklist as _start
from slack_sdk import WebClient

from bot.slack.people import People


def test_names_come_from_users_info_once(fake):
    fake.add_user("UALICE", "Alice Smith", "alice")
    people = People(WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[]))
    assert [people.name("UALICE") for _ in range(3)] == ["Alice Smith"] * 3
    assert len(fake.calls_to("users.info")) == 1
    assert people.name("jsmith") == "jsmith", "a CLI user name is already a name"
    assert len(fake.calls_to("users.info")) == 1


def test_an_id_is_kept_when_slack_cannot_say(fake):
    people = People(WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[]), ttl_s=0)
    fake.fail_next("users.info", error="missing_scope")
    assert people.name("UGONE") == "UGONE"
    fake.add_user("UGONE", "Gone Person")
    assert people.name("UGONE") == "Gone Person"
    fake.fail_next("users.info", error="user_not_found")
    assert people.name("UGONE") == "Gone Person", "the last name known is better than an id"


def test_step_messages_show_mentions_and_dates_in_each_readers_zone(slack):
    _start(slack)
    assert slack.submit_view(_open_modal(slack, "scope", "applies"), *GOOD["scope"]) == (200, {})
    slack.settle()
    updated = next(c for c in slack.fake.calls_to("chat.update") if "14.2m" in all_text(c.args["blocks"]))
    text = all_text(updated.args["blocks"])
    assert "Recorded by <@UALICE> <!date^" in text and "{date_short_pretty} at {time}|" in text
