"""A lone emoji, or a question in a language svbot does not read, in a DM, an @mention and /socialvalue:
a reply saying what svbot reads, not "outside what I cover"; the other language logged and marked."""

from __future__ import annotations

from harness import ADMIN, all_text, payload

ARABIC = "ما هي القيمة الاجتماعية في المشتريات العامة؟"
WELSH = "Beth yw gwerth cymdeithasol?"


def logged(slack) -> list[tuple[str, str | None]]:
    return [(r["text"], r["language"]) for r in slack.core.store.db["questions"].rows]


def test_a_lone_emoji_in_a_direct_message_invites_a_question_and_is_not_logged(slack):
    im = payload("event_callback_message_im.json")["event"]
    slack.event(dict(im, text=":slightly_smiling_face:", ts="1700000700.000100"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "I didn't find any words to read there" in text and "/socialvalue does the Act apply to goods?" in text
    assert "outside what I cover" not in text and "noted" not in text
    assert logged(slack) == []


def test_another_script_in_a_mention_is_told_english_and_logged_as_such(slack):
    mention = payload("event_callback_app_mention.json")["event"]
    slack.event(dict(mention, text=f"<@W111> {ARABIC}", ts="1700000700.000200"))
    slack.settle()
    text = all_text(slack.fake.calls_to("chat.postMessage")[-1].args["blocks"])
    assert "I can only read and answer questions in English" in text and "I don't read Welsh either" in text
    assert "I've noted the question so an admin can see it" in text and "outside what I cover" not in text
    assert [language for _, language in logged(slack)] == ["other-script"]


def test_welsh_in_the_slash_command(slack):
    slack.command(WELSH, name="w1")
    slack.settle()
    (reply,) = [c.args for c in slack.fake.calls_to("response_url:w1")]
    text = all_text(reply["blocks"])
    assert text.startswith("That looks like Welsh") and "outside what I cover" not in text
    assert logged(slack) == [(WELSH, "welsh")]
    slack.command("🙂", name="w2")
    slack.settle()
    (reply,) = [c.args for c in slack.fake.calls_to("response_url:w2")]
    assert "I didn't find any words to read there" in all_text(reply["blocks"])
    assert len(logged(slack)) == 1


def test_the_admins_report_marks_a_question_not_in_english(slack):
    slack.command(ARABIC, name="a1")
    slack.command("what is the weather like in leeds today", name="a2")
    slack.settle()
    slack.command("report", user=ADMIN, name="rep")
    slack.settle()
    text = all_text(slack.fake.calls_to("response_url:rep")[0].args["blocks"])
    assert f'"{ARABIC}" _(not in English: not read)_' in text
    assert 'leeds today"' in text and 'leeds today" _(' not in text, "an English question is not marked"
