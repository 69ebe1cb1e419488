"""Serve the real svbot bolt app over HTTP (waitress, as `svbot serve` does)
against a fake Slack Web API, and send it signed requests like Slack's."""

from __future__ import annotations

import copy
import http.client
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import docx
from fake_slack import FakeSlack
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.core import Svbot
from bot.slack.app import build_app
from bot.slack.serve import SLACK_PATH, http_server, serve_until

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token-123"
ADMIN = "UADMIN"


def payload(name: str) -> dict[str, Any]:
    """A real (anonymised) Slack payload from tests/slack/payloads."""
    return copy.deepcopy(json.loads((PAYLOADS / name).read_text()))


class Harness:
    def __init__(self, tmp_path: Path, fake: FakeSlack, knowledge_dir: Path | None = None):
        self.fake = fake
        settings = Settings(
            db_path=tmp_path / "svbot.db",
            bot_token=BOT_TOKEN,
            signing_secret=SECRET,
            slack_api_url=fake.url,
            admins=frozenset({ADMIN}),
            watch_knowledge=False,
            **({"knowledge_dir": knowledge_dir} if knowledge_dir else {}),
        )
        self.core = Svbot(settings)
        self.app = build_app(self.core)
        self.server = http_server(self.app, "127.0.0.1", 0, threads=8)
        self.url = f"http://127.0.0.1:{self.server.effective_port}{SLACK_PATH}"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        self.verifier = SignatureVerifier(SECRET)
        self._ids = 0

    def _serve(self) -> None:
        serve_until(self.server, self.stopping)  # as `svbot serve` runs it, drain included

    def close(self) -> None:
        self.stopping.set()
        self.server.pull_trigger()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the server did not drain within 60 s"
        self.app.listener_runner.listener_executor.shutdown(wait=True)
        self.core.store.close()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until the listeners have finished their work after the ack."""
        assert self.app.listener_runner.listener_executor.wait_idle(timeout), "listeners still busy"

    # Sending ----------------------------------------------------------------

    def send(
        self,
        body: str,
        content_type: str = "application/json",
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sig = signature or self.verifier.generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def announce_oversized(self, size: int) -> tuple[int, bytes]:
        """Send only the headers of a POST claiming ``size`` bytes; the server's (status, body).

        A server that waits for the body (no size limit) times out here instead of answering.
        """
        target = urllib.parse.urlsplit(self.url)
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=5)
        try:
            conn.putrequest("POST", target.path)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(size))
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def event(self, event: dict[str, Any], event_id: str | None = None, **headers: str) -> int:
        self._ids += 1
        body = payload("event_callback_app_mention.json")
        body["event"] = event
        body["event_id"] = event_id or f"Ev{self._ids:06d}"
        return self.send(json.dumps(body), headers=headers or None)[0]

    def command(self, text: str, user: str = "UALICE", channel: str = "C111", name: str = "r1") -> tuple[int, str]:
        form = urllib.parse.parse_qs((PAYLOADS / "slash_command_raw_form_body.txt").read_text().strip())
        fields = {k: v[0] for k, v in form.items()}
        fields.update(
            command="/socialvalue",
            text=text,
            user_id=user,
            channel_id=channel,
            response_url=self.fake.response_url(name),
            trigger_id=self.fake.new_trigger_id(),
        )
        return self.send(urllib.parse.urlencode(fields), "application/x-www-form-urlencoded")

    def action(
        self,
        element: dict[str, Any],
        *,
        user: str = "UALICE",
        channel: str = "C111",
        message: dict[str, Any] | None = None,
        ephemeral: bool = False,
        block_id: str = "b",
        name: str = "a1",
    ) -> tuple[int, str]:
        body = payload("block_actions_message_button.json")
        body["user"] = {"id": user, "username": user, "name": user, "team_id": "T111"}
        body["channel"] = {"id": channel, "name": "procurement"}
        body["container"] = {
            "type": "message",
            "message_ts": (message or {}).get("ts", "111.222"),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        body["response_url"] = self.fake.response_url(name)
        body["trigger_id"] = self.fake.new_trigger_id()
        action = {"block_id": block_id, "action_ts": "1.2", **element}
        body["actions"] = [action]
        if message is not None:
            body["message"] = message
        return self.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")

    def click(self, button: dict[str, Any], block_id: str = "b", **kwargs: Any) -> tuple[int, str]:
        """Click a button element taken from a message the bot sent."""
        return self.action(
            {"type": "button", "action_id": button["action_id"], "value": button.get("value"), "text": button["text"]},
            block_id=block_id,
            **kwargs,
        )

    def submit_state(self, view: dict[str, Any], values: dict[str, Any], user: str = "UALICE") -> tuple[int, dict]:
        """Submit a view with ``values`` as Slack's ``state.values`` (block_id -> action_id -> value)."""
        body = payload("view_submission.json")
        body["user"] = {"id": user, "username": user, "name": user, "team_id": "T111"}
        body["view"] = {**view, "id": view.get("id", "V123"), "state": {"values": values}}
        status, text = self.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
        return status, (json.loads(text) if text.strip() else {})

    def submit_view(
        self,
        view: dict[str, Any],
        decision: str | None,
        reasons: str,
        user: str = "UALICE",
        dispute: str | None = None,
        revisit: str | None = None,
    ) -> tuple[int, dict]:
        body = payload("view_submission.json")
        body["user"] = {"id": user, "username": user, "name": user, "team_id": "T111"}
        submitted = dict(view)
        submitted["state"] = {
            "values": {
                "decision": {
                    "decision": {"type": "radio_buttons", "selected_option": {"value": decision} if decision else None}
                },
                "reasons": {"reasons": {"type": "plain_text_input", "value": reasons}},
                "dispute": {"dispute": {"type": "plain_text_input", "value": dispute}},
                "revisit": {"revisit": {"type": "datepicker", "selected_date": revisit}},
            }
        }
        submitted.setdefault("id", "V123")
        body["view"] = submitted
        status, text = self.send("payload=" + urllib.parse.quote(json.dumps(body)), "application/x-www-form-urlencoded")
        return status, (json.loads(text) if text.strip() else {})


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The view's block with ``block_id``."""
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) for every button in the blocks."""
    out = []
    for block in blocks:
        if block.get("type") == "actions":
            for element in block["elements"]:
                if element.get("type") == "button":
                    out.append((block.get("block_id", ""), element))
    return out


def docx_text(data: bytes) -> str:
    """The words of an uploaded Word file: every paragraph, then every table cell."""
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def all_text(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("type") == "mrkdwn":
                parts.append(element["text"])
    return "\n".join(parts)


# Checklist helpers shared by the Slack tests -------------------------------------

GOOD = {
    "scope": (
        "applies",
        "Home care framework for adults across Rochdale, est. £14.2m over 4 years; services "
        "above the £214,904 threshold and not a call-off.",
    ),
    "outcomes": (
        "outcomes-identified",
        "Jobs for 20 care leavers in Rochdale and Heywood; 30% of spend with local "
        "VCSE carers' groups; electric cars for 40 care workers.",
    ),
    "process": (
        "secure-through-process",
        "Three geographic lots so small Rochdale providers can bid; social value "
        "question weighted at 10%; KPIs on apprentices in the contract.",
    ),
    "proportionality": (
        "proportionate",
        "£14.2m over 4 years with 40 providers in the local market; asks scaled to "
        "lot size so micro VCSE providers are not burdened.",
    ),
    "consultation": (
        "consult",
        "Market engagement day on 12 March 2026 with providers and Healthwatch Rochdale, and "
        "a survey of 120 people who use home care.",
    ),
    "measurement": (
        "measure",
        "Quarterly KPI returns on apprentices and local spend, checked by the contract "
        "manager against payroll; service credits if targets slip two quarters.",
    ),
    "decision": (
        "proceed",
        "Proceed with the lots, 10% weighting and KPIs above; decided by the Director of Adult "
        "Social Care on 20 March 2026, before the tender notice.",
    ),
}


def form_values(title: str, channel: str | None, **fields: str | None) -> dict[str, Any]:
    """``state.values`` for the New checklist form: text fields, nation/body options, decider."""
    values: dict[str, Any] = {
        "title": {"title": {"type": "plain_text_input", "value": title}},
        "channel": {"channel": {"type": "conversations_select", "selected_conversation": channel}},
    }
    for name in ("reference", "value", "buying"):
        values[name] = {name: {"type": "plain_text_input", "value": fields.get(name)}}
    for name in ("nation", "body"):
        chosen = fields.get(name)
        values[name] = {name: {"type": "static_select", "selected_option": {"value": chosen} if chosen else None}}
    values["decider"] = {"decider": {"type": "users_select", "selected_user": fields.get("decider")}}
    return values


def open_new_checklist_form(slack, title="", user="UALICE", channel="C111"):
    """/socialvalue checklist TITLE: the New checklist form Slack was asked to open."""
    slack.fake.reset()
    status, _ = slack.command(f"checklist {title}".strip(), user=user, channel=channel, name="start")
    assert status == 200
    slack.settle()
    (opened,) = slack.fake.calls_to("views.open")
    return opened.args["view"]


def start_checklist(slack, title="Rochdale home care framework 2027", user="UALICE", channel="C111", **fields):
    """Start a checklist the way a person does: the command, then the form."""
    before = {c["id"] for c in slack.core.store.list_checklists()}
    view = open_new_checklist_form(slack, title, user, channel)
    status, reply = slack.submit_state(view, form_values(title, channel, **fields), user=user)
    assert (status, reply) == (200, {}), reply
    slack.settle()
    started = [c["id"] for c in slack.core.store.list_checklists() if c["id"] not in before]
    return started[0] if started else None


def step_message(slack, step_id):
    """The latest blocks the bot sent for a step (posted or updated)."""
    for call in reversed(slack.fake.calls):
        if call.method in ("chat.postMessage", "chat.update"):
            for block_id, _ in buttons(call.args.get("blocks", [])):
                if block_id.endswith(f":{step_id}"):
                    return call
    raise AssertionError(f"no message for step {step_id}")


def open_modal(slack, step_id, option=None):
    call = step_message(slack, step_id)
    for block_id, button in buttons(call.args["blocks"]):
        value = json.loads(button["value"])
        if option is None or value.get("o") == option:
            slack.fake.reset()
            slack.click(button, block_id=block_id, message={"ts": "1.1"})
            slack.settle()
            (opened,) = slack.fake.calls_to("views.open")
            return opened.args["view"]
    raise AssertionError(f"no button for {step_id}/{option}")


def jump(slack, checklist_id, step_id):
    slack.action(
        {"type": "static_select", "action_id": "cl_jump", "selected_option": {"value": step_id}},
        block_id=f"cl_parent:{checklist_id}",
    )
    slack.settle()
