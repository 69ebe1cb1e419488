"""People in Slack: mentions in Slack text, never a bare id; names from users.info where Slack shows
plain text and in records, cached; ids kept when Slack cannot say."""

from __future__ import annotations

import re

import pytest
from harness import GOOD, all_text, buttons, jump, step_message
from harness import open_modal as _open_modal
from harness import start_checklist as _start
from slack_sdk import WebClient

from bot.paths import PROMPTS_DIR
from bot.slack.people import People, mention

# A Slack user id standing bare in text, not inside a mention.
BARE_ID = re.compile(r"(?<!<@)\b[UW][A-Z0-9]{2,}\b")
# The fields that hold a person's id in what Slack templates are given.
PERSON_FIELDS = ("by", "user", "author", "created_by", "decision_maker", "disputed_by", "resolved_by", "decider", "a")
PRINTED = re.compile(r"(.{0,2})\{\{\s*([\w.]+?)\s*\}\}(.?)")


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


def test_a_mention_is_slacks_own_form_and_anything_else_is_escaped() -> None:
    assert mention("U024BE7LH") == "<@U024BE7LH>"
    assert mention("W0XY9Z") == "<@W0XY9Z>"
    assert mention("dsingh") == "dsingh", "a CLI login is already a name"
    assert mention("<!channel> & co") == "&lt;!channel&gt; &amp; co", "never a ping or a link"


@pytest.mark.parametrize("template", sorted(PROMPTS_DIR.glob("slack/*.slack.j2")), ids=lambda p: p.name)
def test_every_slack_template_names_people_as_mentions(template) -> None:
    """Wherever a Slack template prints a person's id, it is inside <@...>, which Slack shows as the name."""
    for before, field, after in PRINTED.findall(template.read_text(encoding="utf-8")):
        if field.rpartition(".")[2] in PERSON_FIELDS:
            assert (before, after) == ("<@", ">"), f"{template.name}: {{{{ {field} }}}} is not a mention"


def test_who_may_resolve_a_dispute_is_named_as_a_mention(slack) -> None:
    checklist_id = _start(slack)
    slack.core.checklists.name_decision_maker(checklist_id, "UBOB", "UALICE")
    view = _open_modal(slack, "scope", "does-not-apply")
    slack.submit_view(view, "does-not-apply", "Not relevant.", dispute="The county files this return itself.")
    slack.settle()
    (button,) = [b for _, b in buttons(step_message(slack, "scope").args["blocks"]) if b["action_id"] == "cl_review"]
    slack.fake.reset()
    slack.click(button, name="carol", user="UCAROL")
    slack.settle()
    told = slack.fake.calls_to("response_url:carol")[0].args
    text = told["text"] + all_text(told.get("blocks") or [])
    assert "Only the decision maker (<@UBOB>) can accept a disputed answer" in text
    assert not BARE_ID.search(text), text


def test_who_may_name_the_decision_maker_is_named_as_a_mention(slack) -> None:
    checklist_id = _start(slack)
    select = {"type": "users_select", "action_id": "cl_decider", "selected_user": "UEVE"}
    slack.action(select, user="UEVE", block_id=f"cl_parent:{checklist_id}", name="eve")
    slack.settle()
    told = slack.fake.calls_to("response_url:eve")[0].args
    text = told["text"] + all_text(told.get("blocks") or [])
    assert "Only the person who started this checklist (<@UALICE>) can name its decision maker" in text
    assert not BARE_ID.search(text), text


def test_a_modal_error_names_people_by_their_slack_names(slack) -> None:
    """A modal's errors are plain text, where a mention would show as its code: names from users.info."""
    slack.fake.add_user("UALICE", "Alice Smith", "alice")
    checklist_id = _start(slack)
    for step in [s.id for s in slack.core.checklists.steps if not s.sign_off]:
        assert slack.core.checklists.answer(checklist_id, step, *GOOD[step], "UALICE").accepted
    jump(slack, checklist_id, "decision")
    _, reply = slack.submit_view(_open_modal(slack, "decision", "proceed"), *GOOD["decision"], user="UMALLORY")
    error = reply["errors"]["reasons"]
    assert "Only the person who started this checklist (Alice Smith) can sign off the decision step" in error
    assert "<@" not in error and not BARE_ID.search(error), error
