"""Tests for the fake Slack Web API server, driven by a real slack_sdk WebClient."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSlack]:
    """One fake server for the whole module."""
    with FakeSlack() as fake:
        yield fake


class HandClock:
    """A clock that moves only when told: trigger expiry without sleeping, whatever the load."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake(server: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> FakeSlack:
    """The shared fake server, reset for each test, with an empty workspace.

    Trigger_ids are timed by a clock the test moves (a real one could let a busy machine
    expire a trigger between issuing it and using it); ``monkeypatch`` restores the
    server's clock and trigger lifetime for the next test.
    """
    server.reset()
    server.channels.clear()
    server.users.clear()
    monkeypatch.setattr(server, "clock", HandClock())
    monkeypatch.setattr(server, "trigger_ttl", server.trigger_ttl)
    return server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """A real WebClient pointed at the fake (no retry handlers)."""
    return WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[])


def test_url_shape(fake: FakeSlack) -> None:
    """The base URL is a localhost /api/ URL ending with a slash."""
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/")


def test_auth_test_and_headers(fake: FakeSlack, client: WebClient) -> None:
    """auth.test answers like Slack; the bot token is recorded from the header."""
    resp = client.auth_test()
    assert resp["user_id"] == "UBOT"
    assert resp["bot_id"] == "BBOT"
    assert resp["team_id"] == "T111"
    (call,) = fake.calls_to("auth.test")
    assert call.header("authorization") == "Bearer xoxb-test"
    assert call.token == "xoxb-test"


def test_form_args_recorded_and_json_parsed(fake: FakeSlack, client: WebClient) -> None:
    """Form-encoded args are recorded; JSON-looking values are parsed, raw kept."""
    form = {"channel": "C1", "text": "hello", "blocks": json.dumps(BLOCKS), "thread_ts": "1.2"}
    resp = client.api_call("chat.postMessage", data=form)
    call = fake.calls_to("chat.postMessage")[0]
    assert call.header("Content-Type").startswith("application/x-www-form-urlencoded")
    assert call.args == {**form, "blocks": BLOCKS}
    assert call.raw_args == form
    assert resp["channel"] == "C1"
    assert resp["message"]["blocks"] == BLOCKS
    assert resp["message"]["thread_ts"] == "1.2"
    assert resp["message"]["ts"] == resp["ts"]


def test_post_message_json(fake: FakeSlack, client: WebClient) -> None:
    """chat_postMessage (sent as JSON by slack_sdk) is recorded and echoed back."""
    resp = client.chat_postMessage(channel="C1", text="hello", blocks=BLOCKS)
    call = fake.calls_to("chat.postMessage")[0]
    assert call.header("Content-Type").startswith("application/json")
    assert call.args == {"channel": "C1", "text": "hello", "blocks": BLOCKS}
    assert resp["message"]["text"] == "hello"
    assert resp["message"]["user"] == "UBOT"
    assert "thread_ts" not in resp["message"]


def test_json_args_recorded(fake: FakeSlack, client: WebClient) -> None:
    """JSON bodies (views.open) are recorded and the view is echoed with an id."""
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": BLOCKS}
    trigger = fake.new_trigger_id()
    resp = client.views_open(trigger_id=trigger, view=view)
    call = fake.calls_to("views.open")[0]
    assert call.header("Content-Type").startswith("application/json")
    assert call.args == {"trigger_id": trigger, "view": view}
    assert resp["view"]["id"].startswith("V")
    assert resp["view"]["blocks"] == BLOCKS
    assert resp["view"]["hash"]


def test_unique_increasing_ts(client: WebClient) -> None:
    """Each posted message gets a unique, increasing ts."""
    ts = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(5)]
    assert len(set(ts)) == 5
    assert ts == sorted(ts, key=float)
    assert all(len(t.split(".")[1]) == 6 for t in ts)


def test_other_methods(fake: FakeSlack, client: WebClient) -> None:
    """Canned answers for the other supported methods."""
    assert client.chat_postEphemeral(channel="C1", user="U1", text="x")["message_ts"]
    upd = client.chat_update(channel="C1", ts="1700000000.000100", text="new")
    assert (upd["ts"], upd["text"], upd["message"]["text"]) == ("1700000000.000100", "new", "new")
    link = client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")
    assert link["permalink"] == "https://example.slack.com/archives/C1/p1700000000000100"
    user = client.users_info(user="U9")["user"]
    assert (user["name"], user["real_name"], user["is_bot"]) == ("user-U9", "User U9", False)
    fake.add_user("UALICE", "Alice Smith", "alice")
    assert client.users_info(user="UALICE")["user"]["profile"]["display_name"] == "alice"
    assert client.conversations_replies(channel="C1", ts="1.2")["messages"] == []
    assert client.conversations_history(channel="C1")["messages"] == []
    assert client.reactions_add(channel="C1", timestamp="1.2", name="eyes")["ok"] is True


def test_set_response(fake: FakeSlack, client: WebClient) -> None:
    """set_response overrides parts of a canned answer."""
    fake.set_response("conversations.replies", {"messages": [{"ts": "1.2", "text": "root"}]})
    assert client.conversations_replies(channel="C1", ts="1.2")["messages"][0]["text"] == "root"


def test_fail_next(fake: FakeSlack, client: WebClient) -> None:
    """fail_next gives SlackApiError once, then calls succeed again."""
    fake.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError) as exc_info:
        client.chat_postMessage(channel="C404", text="x")
    assert exc_info.value.response.status_code == 200
    assert exc_info.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_rate_limit_without_retry(fake: FakeSlack, client: WebClient) -> None:
    """Without a retry handler a 429 surfaces as SlackApiError with Retry-After."""
    fake.rate_limit_next("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as exc_info:
        client.chat_postMessage(channel="C1", text="x")
    assert exc_info.value.response.status_code == 429
    assert exc_info.value.response.headers["Retry-After"] == "7"


def test_rate_limit_retry_handler(fake: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    """RateLimitErrorRetryHandler honours Retry-After, retries, then succeeds."""
    sleeps: list[float] = []
    monkeypatch.setattr(builtin_handlers.time, "sleep", sleeps.append)  # keep the test fast
    client = WebClient(
        token="xoxb-test",
        base_url=fake.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.rate_limit_next("chat.postMessage", retry_after=1)
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(sleeps) == 1 and 1 <= sleeps[0] < 2


def test_server_error_next(fake: FakeSlack, client: WebClient) -> None:
    """server_error_next answers with the given HTTP status, `times` times."""
    fake.server_error_next("users.info", status=503, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as exc_info:
            client.users_info(user="U1")
        assert exc_info.value.response.status_code == 503
    assert client.users_info(user="U1")["ok"] is True
    assert len(fake.calls_to("users.info")) == 3


def test_reset_clears_faults(fake: FakeSlack, client: WebClient) -> None:
    """reset() drops recorded calls and pending faults."""
    fake.fail_next("auth.test")
    client.chat_postMessage(channel="C1", text="x")
    fake.reset()
    assert fake.calls == []
    assert client.auth_test()["ok"] is True


def test_files_upload_v2(fake: FakeSlack, client: WebClient) -> None:
    """files_upload_v2 works end to end and the uploaded bytes are recorded."""
    resp = client.files_upload_v2(
        channel="C1",
        filename="report.txt",
        content="hello file ✓",
        title="Report",
        thread_ts="1700000000.000100",
    )
    (url_call,) = fake.calls_to("files.getUploadURLExternal")
    assert url_call.args["filename"] == "report.txt"
    (upload,) = fake.calls_to("file_upload")
    assert upload.args["content"] == "hello file ✓"
    assert upload.args["size"] == len("hello file ✓".encode())
    (complete,) = fake.calls_to("files.completeUploadExternal")
    assert complete.args["files"] == [{"id": upload.args["file_id"], "title": "Report"}]
    assert complete.args["channel_id"] == "C1"
    assert complete.args["thread_ts"] == "1700000000.000100"
    assert resp["file"]["id"] == upload.args["file_id"]
    assert resp["file"]["title"] == "Report"


def test_wait_for(fake: FakeSlack, client: WebClient) -> None:
    """wait_for returns once calls arrive from another thread."""
    worker = threading.Timer(0.05, lambda: client.chat_postMessage(channel="C1", text="late"))
    worker.start()
    calls = fake.wait_for("chat.postMessage", timeout=2)
    worker.join()
    assert calls[0].args["text"] == "late"


def test_wait_for_timeout(fake: FakeSlack, client: WebClient) -> None:
    """wait_for raises AssertionError listing what was received."""
    client.auth_test()
    start = time.monotonic()
    with pytest.raises(AssertionError, match=r"chat\.postMessage.*auth\.test"):
        fake.wait_for("chat.postMessage", timeout=0.1)
    assert time.monotonic() - start < 1


def test_response_url(fake: FakeSlack) -> None:
    """POSTs to a response_url are recorded with their JSON body."""
    url = fake.response_url("r7")
    payload = {"text": "done", "replace_original": True}
    req = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.status == 200
    (call,) = fake.wait_for("response_url:r7")
    assert call.args == payload
    assert WebhookClient(fake.response_url()).send(text="hi").status_code == 200
    assert fake.calls_to("response_url:r1")[0].args["text"] == "hi"


def test_context_manager_stops() -> None:
    """Leaving the with-block stops the server."""
    with FakeSlack() as fake:
        url = fake.url
        assert WebClient(base_url=url, token="xoxb-test").auth_test()["ok"]
    with pytest.raises(RuntimeError):
        _ = fake.url


MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": BLOCKS}


def _error(call) -> str:
    with pytest.raises(SlackApiError) as exc_info:
        call()
    return exc_info.value.response["error"]


def test_public_channel_not_joined(fake: FakeSlack, client: WebClient) -> None:
    """chat:write.public posts anywhere public, but files and history need membership until joined."""
    fake.add_channel("CPUB")
    assert client.chat_postMessage(channel="CPUB", text="x")["ok"]
    assert _error(lambda: client.files_upload_v2(channel="CPUB", content="r", filename="r.md")) == "not_in_channel"
    assert _error(lambda: client.conversations_history(channel="CPUB")) == "not_in_channel"
    assert _error(lambda: client.chat_postEphemeral(channel="CPUB", user="U1", text="x")) == "not_in_channel"
    joined = client.conversations_join(channel="CPUB")
    assert joined["channel"]["id"] == "CPUB" and "warning" not in joined
    assert client.conversations_join(channel="CPUB")["warning"] == "already_in_channel"
    assert client.files_upload_v2(channel="CPUB", content="r", filename="r.md")["file"]["id"]


def test_private_channel_and_dm_not_in(fake: FakeSlack, client: WebClient) -> None:
    """A private channel or a DM between people the bot is not in is invisible to it."""
    fake.add_channel("GPRIV", private=True)
    fake.add_channel("DPEOPLE", is_im=True)
    for channel in ("GPRIV", "DPEOPLE"):
        assert _error(lambda c=channel: client.chat_postMessage(channel=c, text="x")) == "channel_not_found"
    assert _error(lambda: client.conversations_join(channel="GPRIV")) == "channel_not_found"
    assert _error(lambda: client.conversations_join(channel="DPEOPLE")) == "method_not_supported_for_channel_type"
    fake.add_channel("GPRIV", private=True, member=True)
    assert client.chat_postMessage(channel="GPRIV", text="x")["ok"]


def test_conversations_open(fake: FakeSlack, client: WebClient) -> None:
    """conversations.open gives the bot a DM it can post to."""
    dm = client.conversations_open(users="UBOB")["channel"]["id"]
    assert client.chat_postMessage(channel=dm, text="x")["ok"]
    assert fake.channels[dm].is_im


def test_trigger_ids_expire_and_work_once(fake: FakeSlack, client: WebClient) -> None:
    """A trigger_id opens one view, within trigger_ttl seconds of being issued."""
    assert _error(lambda: client.views_open(trigger_id="made-up", view=MODAL)) == "invalid_trigger_id"
    trigger = fake.new_trigger_id()
    assert client.views_open(trigger_id=trigger, view=MODAL)["ok"]
    assert _error(lambda: client.views_open(trigger_id=trigger, view=MODAL)) == "exchanged_trigger_id"
    in_time, late = fake.new_trigger_id(), fake.new_trigger_id()
    fake.clock.advance(fake.trigger_ttl)
    assert client.views_open(trigger_id=in_time, view=MODAL)["ok"], "usable for exactly trigger_ttl seconds"
    fake.clock.advance(0.001)
    assert _error(lambda: client.views_open(trigger_id=late, view=MODAL)) == "expired_trigger_id"


def _options(n: int, value: str = "v") -> list[dict]:
    return [{"text": {"type": "plain_text", "text": f"o{i}"}, "value": f"{value}{i}"} for i in range(n)]


INVALID_MESSAGES = {
    "too many blocks": [BLOCKS[0]] * 51,
    "empty section": [{"type": "section", "text": {"type": "mrkdwn", "text": " "}}],
    "long section": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
    "long button": [
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b" * 76}}]}
    ],
    "unknown block": [{"type": "nonsense"}],
    "long option value": [
        {
            "type": "actions",
            "elements": [{"type": "static_select", "action_id": "s", "options": _options(2, "v" * 150)}],
        }
    ],
    "101 select options": [
        {"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": _options(101)}]}
    ],
}


@pytest.mark.parametrize("name", sorted(INVALID_MESSAGES))
def test_invalid_message_blocks(fake: FakeSlack, client: WebClient, name: str) -> None:
    """Blocks Slack would refuse are answered invalid_blocks and kept for the suite to fail on."""
    assert _error(lambda: client.chat_postMessage(channel="C1", text="x", blocks=INVALID_MESSAGES[name])) == (
        "invalid_blocks"
    )
    ((method, problems),) = fake.take_invalid()
    assert method == "chat.postMessage" and problems


def test_invalid_views(fake: FakeSlack, client: WebClient) -> None:
    """Views are checked too: radio_buttons over 10 options, private_metadata, title, block count."""
    radio = {"type": "radio_buttons", "action_id": "d", "options": _options(11)}
    bad = [
        {**MODAL, "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "L"}, "element": radio}]},
        {**MODAL, "private_metadata": "m" * 3001},
        {**MODAL, "title": {"type": "plain_text", "text": "t" * 25}},
        {**MODAL, "blocks": BLOCKS * 101},
    ]
    for view in bad:
        trigger = fake.new_trigger_id()
        assert _error(lambda v=view, t=trigger: client.views_open(trigger_id=t, view=v)) == "invalid_arguments"
    assert len(fake.take_invalid()) == len(bad)
    radio["options"] = _options(10)
    good = {**MODAL, "blocks": [{"type": "input", "label": {"type": "plain_text", "text": "L"}, "element": radio}]}
    assert client.views_open(trigger_id=fake.new_trigger_id(), view=good)["ok"]


def test_invalid_response_url_post_and_exit_check() -> None:
    """A bad response_url post gets HTTP 400; leaving the block with it unclaimed fails."""
    with pytest.raises(AssertionError, match="response_url:r1"), FakeSlack() as fake:
        reply = WebhookClient(fake.response_url()).send(
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]
        )
        assert reply.status_code == 400 and reply.body == "invalid_blocks"


def test_slow(fake: FakeSlack, client: WebClient) -> None:
    """slow() delays a method's answers until reset."""
    fake.slow("chat.postMessage", 0.2)
    start = time.monotonic()
    client.chat_postMessage(channel="C1", text="x")
    assert time.monotonic() - start >= 0.2
    fake.reset()
    start = time.monotonic()
    client.chat_postMessage(channel="C1", text="x")
    assert time.monotonic() - start < 0.2


# Canvases ------------------------------------------------------------------------------------

MARKDOWN = {"type": "markdown", "markdown": "# Record\n\n> a quoted reason"}


@pytest.fixture
def canvases(fake: FakeSlack) -> Iterator[FakeSlack]:
    fake.canvases_made.clear()
    yield fake
    fake.canvas_plan = "paid"
    fake.canvases_made.clear()


def _refused(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


def test_paid_plan_makes_standalone_canvases_and_shares_them(canvases: FakeSlack, client: WebClient) -> None:
    canvas_id = client.canvases_create(title="Record", document_content=MARKDOWN)["canvas_id"]
    assert canvases.canvases_made[canvas_id]["markdown"] == MARKDOWN["markdown"]
    client.canvases_access_set(canvas_id=canvas_id, access_level="read", channel_ids=["C1", "C2"])
    assert canvases.canvases_made[canvas_id]["access"] == {"C1": "read", "C2": "read"}
    assert _refused(lambda: client.canvases_access_set(canvas_id="F0", access_level="read", channel_ids="C1")) == (
        "canvas_not_found"
    )
    client.canvases_delete(canvas_id=canvas_id)
    assert canvases.canvases_made == {}


def test_free_plan_makes_one_canvas_tab_per_channel(canvases: FakeSlack, client: WebClient) -> None:
    canvases.canvas_plan = "free"
    assert _refused(lambda: client.canvases_create(title="R", document_content=MARKDOWN)) == (
        "free_teams_cannot_create_non_tabbed_canvases"
    )
    canvas_id = client.canvases_create(title="R", document_content=MARKDOWN, channel_id="C1")["canvas_id"]
    assert canvases.canvases_made[canvas_id]["tab"] == "C1"
    assert _refused(lambda: client.canvases_create(title="R", document_content=MARKDOWN, channel_id="C1")) == (
        "free_team_canvas_tab_already_exists"
    )


@pytest.mark.parametrize(("plan", "error"), [("off", "canvas_disabled_user_team"), ("no_scope", "missing_scope")])
def test_workspaces_without_canvases_refuse_them(canvases: FakeSlack, client: WebClient, plan, error) -> None:
    canvases.canvas_plan = plan
    assert _refused(lambda: client.canvases_create(title="R", document_content=MARKDOWN)) == error
    assert canvases.canvases_made == {}


@pytest.mark.parametrize(
    "content",
    [
        {"type": "markdown", "markdown": "> - a list inside a quote"},
        {"type": "markdown", "markdown": "x" * 1_048_577},
        {"type": "html", "markdown": "# no"},
    ],
)
def test_canvas_content_slack_would_not_take_is_refused(canvases: FakeSlack, client: WebClient, content) -> None:
    assert _refused(lambda: client.canvases_create(title="R", document_content=content)) in (
        "canvas_creation_failed",
        "invalid_arguments",
    )
    assert canvases.canvases_made == {}


def test_uploads_keep_the_bytes_sent(fake: FakeSlack, client: WebClient) -> None:
    data = bytes(range(256))
    client.files_upload_v2(channel="C1", file=data, filename="record.docx")
    assert fake.calls_to("file_upload")[0].args["data"] == data
