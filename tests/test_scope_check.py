"""The scope finder at the checklist's scope step: reading a checklist's details, the decision the
finder suggests, the checker's view of its sentence, and ``checklist answer --from-scope``."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.config import Settings
from bot.core import Svbot
from bot.scope import Procurement, ScopeFinder
from bot.scope_check import (
    amount_in,
    checklist_defaults,
    inputs,
    kind_in,
    light_touch_cues,
    light_touch_in,
    procurement,
    scope_record,
    suggested_decision,
    vat_in,
)

NEW = dt.date(2026, 3, 3)
OLD_START = dt.date(2024, 6, 3)  # before the Procurement Act 2023


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("£14m over 4 years", 14_000_000),
        ("est. £14.2m", 14_200_000),
        ("£420k over 3 years", 420_000),
        ("216000", 216_000),
        ("£216,000 including VAT", 216_000),
        ("4 years, £1.2 million", 1_200_000),
        ("1.5m", 1_500_000),
        ("lots of 50k each, £1.2m in all", 1_200_000),  # the figure in pounds is the value
        ("£1,2m over 3 years", None),  # £1.2m or £12m: unclear, so asked for, never guessed
        ("216.000", None),
        ("£1,2m in all, lots of 50k each", None),  # not the one clear figure instead
        ("£14m over 4 years.", 14_000_000),
        ("about a million", None),
        ("4 years", None),
        ("", None),
        (None, None),
    ],
)
def test_the_value_is_read_from_what_the_team_typed(text, amount):
    assert amount_in(text) == amount


@pytest.mark.parametrize(
    ("text", "vat"),
    [
        ("£216,000 including VAT", "included"),
        ("£216k inc VAT", "included"),
        ("£216k incl. VAT", "included"),
        ("£180k excluding VAT", "excluded"),
        ("£180k ex VAT", "excluded"),
        ("£180k + VAT", "excluded"),
        ("£180k", None),
    ],
)
def test_vat_is_read_only_when_the_value_says(text, vat):
    assert vat_in(text) == vat


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("cleaning services for 12 libraries",), "services"),
        (("supply of laptops",), "goods"),
        (("construction of a new depot",), "works"),
        (("a refit",), None),
        (("works and services for the depot",), None),  # two kinds: a mix, not guessed
        ((None, "home care service"), "services"),
    ],
)
def test_the_kind_of_contract_is_taken_only_when_one_is_named(texts, kind):
    assert kind_in(*texts) == kind


def test_checklist_details_then_configuration():
    settings = Settings(nation="wales", body="devolved-welsh")
    row = {"title": "Cleaning", "value": "£216k inc VAT", "buying": "cleaning services", "starts_on": "2026-03-03"}
    defaults = checklist_defaults(row, settings)
    assert (defaults.type, defaults.value, defaults.vat) == ("services", 216_000, "included")
    assert (defaults.body, defaults.nation, defaults.start) == ("devolved-welsh", "Wales", NEW)
    chosen = checklist_defaults({**row, "nation": "England", "body_type": "sub-central"}, settings)
    assert (chosen.body, chosen.nation) == ("sub-central", "England")
    # Settings svbot does not know are left out, not passed on.
    odd = checklist_defaults(row, Settings(nation="atlantis", body="parish"))
    assert (odd.body, odd.nation) == (None, None)


@pytest.mark.parametrize(
    "p",
    [
        Procurement("mixed", 1_200_000, "central", "England", NEW, "excluded", 70.0, True, False, True),
        Procurement("services", 400_000, "sub-central", "Wales", NEW, "exempt", uk_body=True, light_touch_hint="care"),
    ],
)
def test_inputs_round_trip(p):
    assert procurement(json.loads(json.dumps(inputs(p)))) == p


CUES = ("care", "home care", "education")


@pytest.mark.parametrize(
    ("texts", "cue"),
    [
        (("home care services for 30 adults",), "care"),
        ((None, "Education", "tuition"), "education"),
        (("Domiciliary CARE",), "care"),
        (("healthcare IT system",), None),  # a whole word only
        (("cleaning services",), None),
    ],
)
def test_light_touch_cues_are_whole_words(texts, cue):
    assert light_touch_in(CUES, *texts) == cue


def test_a_checklist_buying_care_leaves_light_touch_to_the_person(kb):
    cues = light_touch_cues(kb)
    assert "home care" in cues and "domiciliary" in cues
    row = {"title": "Home care 2027", "value": "£400k", "buying": "home care services for 30 adults"}
    defaults = checklist_defaults(row, Settings(), cues)
    assert (defaults.type, defaults.light_touch) == ("services", "care")
    # Without a services word the kind is still services: care is a service.
    assert checklist_defaults({**row, "buying": "home care for 30 adults"}, Settings(), cues).type == "services"
    # Another kind named: no hint, nothing guessed.
    works = checklist_defaults({**row, "buying": "construction of a care home"}, Settings(), cues)
    assert (works.type, works.light_touch) == ("works", None)
    assert checklist_defaults(row, Settings()).light_touch is None  # no cues, no hint


VERDICTS = [
    (Procurement("services", 216_000, "sub-central", "England", NEW, "included"), "applies"),
    (Procurement("services", 207_720, "sub-central", "England", NEW, "included"), "applies"),
    (Procurement("services", 207_719, "sub-central", "England", NEW, "included"), "does-not-apply"),
    (Procurement("goods", 5_000_000, "central", "England", NEW, "included"), "does-not-apply"),
    (Procurement("works", 9_000_000, "sub-central", "England", NEW, "included"), "does-not-apply"),
    (Procurement("services", 900_000, "sub-central", "England", NEW, "included", call_off=True), "does-not-apply"),
    (Procurement("services", 900_000, "devolved-welsh", "Wales", NEW, "included"), "does-not-apply"),
    (Procurement("services", 900_000, "scottish", "Scotland", NEW, "included"), "does-not-apply"),
    (Procurement("light-touch", 700_000, "nhs", "England", NEW, "excluded"), "applies"),
    (Procurement("mixed", 1_200_000, "central", "England", NEW, "excluded", 70.0, True), "applies"),
    (Procurement("mixed", 1_200_000, "central", "England", NEW, "excluded"), None),
    (Procurement("services", 900_000, None, "England", NEW, "included"), None),
    (Procurement("services", 900_000, "sub-central", "Wales", NEW, "included"), "does-not-apply"),
    (Procurement("services", 900_000, "nhs", "Scotland", NEW, "included"), "does-not-apply"),
    (Procurement("services", 207_719, "sub-central", "England", NEW, "exempt"), "does-not-apply"),
    (Procurement("services", 400_000, "sub-central", "England", NEW, "exempt", light_touch_hint="care"), "applies"),
    (Procurement("services", 900_000, "sub-central", "England", NEW, "exempt", light_touch_hint="care"), "applies"),
    # s.1(16)(b) and (17): light touch contracts at the ordinary goods and services threshold.
    (Procurement("light-touch", 400_000, "sub-central", "England", NEW, "exempt"), "applies"),
    (Procurement("light-touch", 100_000, "sub-central", "England", NEW, "exempt"), "does-not-apply"),
    (Procurement("services", 5_000_000, "utility", "England", NEW, "exempt"), "does-not-apply"),
    # Before 24 February 2025, the 2016 rule judged light touch net of VAT: above the figure only with VAT.
    (Procurement("services", 214_000, "sub-central", "England", OLD_START, "excluded", light_touch_hint="care"), None),
]


@pytest.mark.parametrize(("p", "decision"), VERDICTS)
def test_the_checker_accepts_the_finders_sentence_for_the_matching_decision(app: Svbot, p, decision):
    snap = app.snapshot()
    result = ScopeFinder(snap.kb, app.renderer).find(p)
    assert suggested_decision(result) == decision
    if decision is not None:
        verdict = snap.checker.check("scope", decision, result.why)
        assert verdict.accepted, (result.why, verdict.problems)


def test_the_record_keeps_the_whole_answer(app: Svbot):
    p = Procurement("services", 216_000, "sub-central", "England", NEW, "included")
    result = ScopeFinder(app.snapshot().kb, app.renderer).find(p)
    kept = scope_record(p, result)
    assert kept["inputs"] == inputs(p) and kept["act_applies"] is True and kept["why"] == result.why
    assert kept["threshold"]["id"] == "threshold.sub-central.goods-services"
    assert kept["threshold"]["effective_from"] == "2026-01-01" and kept["threshold"]["source"]["url"]
    assert kept["notes"] == result.notes


# svbot checklist answer ID scope --from-scope ------------------------------------------------


@pytest.fixture
def cli_env(run, monkeypatch):
    """The CLI with no configured nation or body type: only the checklist and the options count."""
    monkeypatch.delenv("SVBOT_NATION", raising=False)
    monkeypatch.delenv("SVBOT_BODY", raising=False)

    def invoke(*args: str) -> tuple[int, str, str]:
        result = run(*args)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def _new(cli, **details: str) -> str:
    args = ["checklist", "new", "--title", "Library cleaning", "--json"]
    for name, value in details.items():
        args += [f"--{name}", value]
    code, out, err = cli(*args)
    assert code == 0, err
    return json.loads(out)["id"]


def test_from_scope_answers_from_the_checklists_details(cli_env):
    checklist_id = _new(cli_env, value="£216,000 including VAT", buying="cleaning services", starts="2026-03-03")
    code, out, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central",
                         "--by", "alice")  # fmt: skip
    assert code == 0, err
    assert "Does s.1 of the Public Services (Social Value) Act 2012 apply? Yes" in out
    assert "£207,720 threshold in force since 1 January 2026" in out
    code, out, _ = cli_env("checklist", "export", checklist_id, "--format", "json")
    record = json.loads(out)
    scope = next(s for s in record["steps"] if s["id"] == "scope")
    assert scope["decision"] == "applies" and scope["status"] == "answered"
    assert scope["reasons"].startswith("Services, £216,000 including VAT, sub-central authority, starting 3 March")
    assert record["scope_check"]["inputs"]["body"] == "sub-central"
    assert record["scope_check"]["answer_id"] == scope["answer_id"]


def test_from_scope_for_a_scottish_body_pastes_the_duty_that_applies_there(cli_env):
    checklist_id = _new(cli_env, value="£216,000 including VAT", buying="cleaning services", starts="2026-03-03")
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "scottish",
                           "--by", "alice")  # fmt: skip
    assert code == 0, err
    record = json.loads(cli_env("checklist", "export", checklist_id, "--format", "json")[1])
    scope = next(s for s in record["steps"] if s["id"] == "scope")
    assert scope["decision"] == "does-not-apply" and scope["status"] == "answered"
    assert "s.1 does not apply" in scope["reasons"]
    assert "In Scotland the nation's own duty applies (Sustainable procurement duty, s.9)" in scope["reasons"]
    assert record["scope_check"]["why"] == scope["reasons"]


def test_from_scope_options_override_and_reasons_are_added(cli_env):
    checklist_id = _new(cli_env, value="£2m", buying="a depot")
    code, out, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--type", "works",
                         "--body", "sub-central", "--start", "2026-03-03",
                         "--reasons", "Construction of a new depot only; no services.", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["accepted"] is True and data["scope"]["act_applies"] is False
    code, out, _ = cli_env("checklist", "show", checklist_id, "--json")
    assert "Construction of a new depot only" in out and "s.1 does not apply" in out


def test_from_scope_says_what_is_missing(cli_env):
    checklist_id = _new(cli_env, value="about a million", buying="a refit")
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope")
    assert code == 2 and "--type" in err and "--value" in err and "Traceback" not in err
    code, out, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--type", "mixed",
                         "--value", "1m", "--body", "central")  # fmt: skip
    assert code == 1 and "Cannot tell" in out and "--services-share" in out + err
    code, _, err = cli_env("checklist", "answer", checklist_id, "outcomes", "--from-scope")
    assert code == 2 and "'scope' step" in err
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--type", "works", "--decision",
                           "does-not-apply", "--reasons", "Construction of a depot only.")  # fmt: skip
    assert code == 2 and "--type: only with --from-scope" in err
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--decision", "applies")
    assert code == 2 and "--reasons" in err
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--value", "lots")
    assert code == 2 and "not an amount" in err
    answers = cli_env("checklist", "show", checklist_id, "--json")[1]
    assert '"scope"' in answers  # the step is listed...
    assert json.loads(answers)["steps"][0]["status"] == "open", "...and nothing was recorded"


def test_from_scope_answers_a_light_touch_service_at_the_services_threshold(cli_env):
    # The audit's case: "home care services for 30 adults", £400k, sub-central. Whether it is a
    # light-touch service or not, s.1(16)(b) and (17) judge it at the £207,720 figure: s.1 applies.
    checklist_id = _new(cli_env, value="£400k", buying="home care services for 30 adults", starts="2026-03-03")
    code, out, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central")
    assert code == 0, err
    assert "Does s.1 of the Public Services (Social Value) Act 2012 apply? Yes" in out
    assert "the answer is the same if it is one" in out and "Is this a light-touch service?" not in out
    assert "VAT Notice 701/2" in out  # care is often exempt, and VAT was added
    code, out, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central",
                             "--type", "light-touch", "--vat", "exempt", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["accepted"] is True, err
    assert data["scope"]["act_applies"] is True
    assert data["scope"]["threshold"]["id"] == "threshold.sub-central.goods-services"
    assert "£400,000, exempt from VAT" in data["scope"]["why"] and "s.1(16)(b) and (17)" in data["scope"]["why"]


def test_from_scope_does_not_guess_a_light_touch_service_where_it_decides(cli_env):
    # Before 24 February 2025 a light-touch service was judged net of VAT (SI 2016/275): £214k without
    # VAT is above the £214,904 figure only with VAT added, so the finder asks which it is.
    checklist_id = _new(cli_env, value="£214k", buying="home care services for 30 adults", starts="2024-06-03")
    code, out, _ = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central")
    assert code == 1 and "Cannot tell from what was given" in out
    assert "so s.1 applies" not in out
    assert "Is this a light-touch service?" in out and "--type light-touch" in out


def test_from_scope_refuses_a_value_that_reads_two_ways(cli_env):
    checklist_id = _new(cli_env, value="£1,2m", buying="cleaning services")
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central")
    assert code == 2 and "--value" in err and "Traceback" not in err  # the checklist's value is not guessed
    code, _, err = cli_env("checklist", "answer", checklist_id, "scope", "--from-scope", "--body", "sub-central",
                           "--value", "1,2m")  # fmt: skip
    assert code == 2 and "could be read two ways" in err and "Traceback" not in err
