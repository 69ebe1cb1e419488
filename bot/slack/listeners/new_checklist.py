"""The "New checklist" form: from /socialvalue checklist, a global shortcut or the App Home.

The form gathers what the decision record needs (title, reference, value, what
is bought, nation and body type, decision maker, channel); submitting it posts
the checklist thread in the chosen channel and tells the decision maker by DM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import MAX_TITLE, ChecklistError
from bot.core import Svbot
from bot.nations import NATIONS
from bot.slack import blocks as bk
from bot.slack.checklist_thread import OPEN_ACTION, ChecklistThread
from bot.slack.listeners.actions import open_view
from bot.slack.listeners.views import FORM_ERRORS, MAX_ERROR
from bot.slack.safe import call

CALLBACK = "new_checklist"
HOME_ACTION = "home_new_checklist"
MAX_FIELD = 150


def post_failed(core: Svbot, error: str, channel: str) -> str:
    """What to tell someone whose checklist could not be posted: what went wrong and what to do."""
    kind = {"D": "dm", "G": "group"}.get(channel[:1], "channel")
    return core.renderer.render("slack/post_failed.slack.j2", error=error, kind=kind)


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": bk.cut(text, 75)}, "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None = None) -> bk.Block:
    block: bk.Block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": block_id, **element},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def _select(options: list[dict[str, Any]], initial: str | None, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "options": options,
        "placeholder": {"type": "plain_text", "text": placeholder},
    }
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def new_checklist_view(core: Svbot, *, title: str = "", channel: str | None = None) -> dict[str, Any]:
    """The form, with the nation and body type defaulted from SVBOT_NATION / SVBOT_BODY."""
    labels = core.renderer.strings("slack/labels.txt.j2")
    bodies = core.renderer.strings("slack/body_types.txt.j2").labels
    text: dict[str, Any] = {"type": "plain_text_input", "max_length": MAX_FIELD}
    title_input = {"type": "plain_text_input", "max_length": MAX_TITLE}
    if title.strip():
        title_input["initial_value"] = " ".join(title.split())[:MAX_TITLE]
    conversation: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
        "placeholder": {"type": "plain_text", "text": labels.pick},
    }
    if channel and channel[:1] in ("C", "G"):
        conversation["initial_conversation"] = channel
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": {"type": "plain_text", "text": labels.new_title},
        "submit": {"type": "plain_text", "text": labels.new_submit},
        "close": {"type": "plain_text", "text": labels.modal_close},
        "blocks": [
            _input("title", labels.f_title, title_input, optional=False, hint=labels.f_title_hint),
            _input("reference", labels.f_reference, text, optional=True),
            _input("value", labels.f_value, text, optional=True, hint=labels.f_value_hint),
            _input("buying", labels.f_buying, text, optional=True, hint=labels.f_buying_hint),
            _input(
                "nation",
                labels.f_nation,
                _select([_option(v, k) for k, v in NATIONS.items()], core.settings.nation, labels.pick),
                optional=True,
            ),
            _input(
                "body",
                labels.f_body,
                _select([_option(v, k) for k, v in bodies.items()], core.settings.body, labels.pick),
                optional=True,
            ),
            _input(
                "decider",
                labels.f_decider,
                {"type": "users_select", "placeholder": {"type": "plain_text", "text": labels.pick}},
                optional=True,
            ),
            _input("channel", labels.f_channel, conversation, optional=False),
        ],
    }


def submitted(view: dict[str, Any]) -> tuple[ChecklistDetails, str]:
    """(details, channel) from a submitted form."""
    values = view.get("state", {}).get("values", {})

    def field(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(block_id) or {}

    def text(block_id: str) -> str | None:
        return " ".join((field(block_id).get("value") or "").split()) or None

    def chosen(block_id: str) -> str | None:
        return (field(block_id).get("selected_option") or {}).get("value")

    details = ChecklistDetails(
        text("title") or "",
        reference=text("reference"),
        value=text("value"),
        buying=text("buying"),
        nation=NATIONS.get(chosen("nation") or ""),
        body_type=chosen("body"),
        decision_maker=field("decider").get("selected_user"),
    )
    return details, field("channel").get("selected_conversation") or ""


def register(app: App, core: Svbot, later: Callable[..., Any], soon: Callable[..., Any]) -> None:
    def open_form(body: dict, client: WebClient, title: str = "", channel: str | None = None) -> None:
        open_view(core, client, body, new_checklist_view(core, title=title, channel=channel))

    @app.shortcut(CALLBACK)
    def on_shortcut(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        soon(open_form, body, client)

    @app.action(HOME_ACTION)
    def on_home_button(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        soon(open_form, body, client)

    @app.action(OPEN_ACTION)
    def on_link_button(ack: Ack) -> None:
        ack()  # a URL button: Slack opens the link; the click still needs acknowledging

    @app.view(CALLBACK)
    def on_submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        details, channel = submitted(view)
        said = core.renderer.strings(FORM_ERRORS)
        if not details.title:
            ack(response_action="errors", errors={"title": said.no_title})
            return
        if not channel:
            ack(response_action="errors", errors={"channel": said.no_channel})
            return
        try:
            details = core.checklists.checked(details)
        except ChecklistError as exc:  # e.g. a nation or body type this svbot does not know
            ack(response_action="errors", errors={"title": bk.cut(str(exc), MAX_ERROR)})
            return
        ack()
        user = body.get("user", {}).get("id", "")
        later(start, details, channel, user, body.get("team", {}).get("id"), client)

    def start(details: ChecklistDetails, channel: str, user: str, team: str | None, client: WebClient) -> None:
        try:
            checklist_id = ChecklistThread(core, client).start(details, user, channel, team)
        except SlackApiError as exc:
            tell(client, user, post_failed(core, str(exc.response.get("error")), channel))
            return
        ChecklistThread(core, client).tell_decision_maker(checklist_id, user)

    def tell(client: WebClient, user: str, text: str) -> None:
        """A form has no response_url: say what went wrong in a DM."""
        dm = call(client.conversations_open, users=user)
        if dm is not None:
            call(client.chat_postMessage, channel=dm["channel"]["id"], text=text, blocks=bk.sections(text))


def open_from_command(core: Svbot, client: WebClient, body: dict, title: str) -> None:
    """The form opened from /socialvalue checklist, defaulting to the channel it was typed in."""
    open_view(core, client, body, new_checklist_view(core, title=title, channel=body.get("channel_id")))
