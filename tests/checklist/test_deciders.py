"""Who decides: a person is identified the same way everywhere and shown by the name they recorded.

The CLI's --by, the chat's login and a Slack user id are ids; records and messages show the
name the person gave (`name` in the chat). A decision maker may be named by their id, or by
the name they recorded; a full name nobody recorded is refused rather than stored as an id
that no one can ever act as.
"""

from __future__ import annotations

import json

import pytest

from bot.checklist.details import ChecklistDetails
from bot.checklist.service import ChecklistError, ChecklistService, NotAllowed
from bot.core import Svbot


@pytest.fixture
def app(shared_app: Svbot) -> Svbot:
    """Every test here uses logins of its own, so the module shares one app and database."""
    return shared_app


def _disputed(service: ChecklistService, checklist_id: str, by: str) -> int:
    refused = service.answer(checklist_id, "outcomes", "none-relevant", "Not relevant.", by)
    assert not refused.accepted
    return service.dispute(checklist_id, refused.answer.id, "One office, no staff.", by).id


def test_a_decision_maker_named_by_the_name_they_recorded_is_that_person(service: ChecklistService) -> None:
    service.app.store.set_person_name("dsingh", "Dora Singh")
    checklist_id = service.new(ChecklistDetails("Cleaning", decision_maker="  dora   SINGH "), "asmith")
    assert service.app.store.get_checklist(checklist_id)["decision_maker"] == "dsingh"
    answer_id = _disputed(service, checklist_id, "asmith")
    upheld = service.resolve_dispute(checklist_id, answer_id, "Agreed: one office, no staff on site", "dsingh")
    assert str(upheld.status) == "upheld"
    assert service.record(checklist_id)["decision_maker_name"] == "Dora Singh"


def test_renaming_the_decision_maker_by_name_stores_their_id(service: ChecklistService) -> None:
    service.app.store.set_person_name("pjones", "Priya Jones")
    checklist_id = service.new(ChecklistDetails("Grounds"), "bstarter")
    assert service.name_decision_maker(checklist_id, "Priya Jones", "bstarter") == "pjones"
    assert service.app.store.get_checklist(checklist_id)["decision_maker"] == "pjones"


def test_an_id_is_taken_as_given_even_before_that_person_has_used_svbot(service: ChecklistService) -> None:
    checklist_id = service.new(ChecklistDetails("Parks", decision_maker="newcomer"), "cstarter")
    assert service.app.store.get_checklist(checklist_id)["decision_maker"] == "newcomer"
    assert service.name_decision_maker(checklist_id, "U024BE7LH", "cstarter") == "U024BE7LH"


def test_a_full_name_nobody_recorded_is_refused_not_stored(service: ChecklistService) -> None:
    with pytest.raises(ChecklistError) as caught:
        service.new(ChecklistDetails("Libraries", decision_maker="Zara Unknown"), "dstarter")
    said = str(caught.value)
    assert "'Zara Unknown'" in said and "login" in said
    assert not [c for c in service.app.store.list_checklists() if c["title"] == "Libraries"]
    checklist_id = service.new(ChecklistDetails("Libraries 2"), "dstarter")
    with pytest.raises(ChecklistError, match="Zara Unknown"):
        service.name_decision_maker(checklist_id, "Zara Unknown", "dstarter")
    assert service.app.store.get_checklist(checklist_id)["decision_maker"] is None


def test_a_name_two_people_recorded_is_refused_naming_both(service: ChecklistService) -> None:
    service.app.store.set_person_name("sam1", "Sam Lee")
    service.app.store.set_person_name("sam2", "Sam  Lee")
    with pytest.raises(ChecklistError) as caught:
        service.new(ChecklistDetails("Catering", decision_maker="Sam Lee"), "estarter")
    assert "sam1" in str(caught.value) and "sam2" in str(caught.value)


def test_who_may_not_act_is_told_the_names_people_recorded(service: ChecklistService) -> None:
    store = service.app.store
    store.set_person_name("fstarter", "Fay Starter")
    store.set_person_name("gdecider", "Gil Decider")
    checklist_id = service.new(ChecklistDetails("Waste", decision_maker="gdecider"), "fstarter")
    answer_id = _disputed(service, checklist_id, "fstarter")
    with pytest.raises(NotAllowed) as resolve:
        service.resolve_dispute(checklist_id, answer_id, "ok", "mallory")
    assert "Only the decision maker (Gil Decider)" in str(resolve.value)
    with pytest.raises(NotAllowed) as sign:
        service.check_may_answer(checklist_id, "decision", "mallory")
    assert "(Fay Starter)" in str(sign.value) and "(Gil Decider)" in str(sign.value)
    assert "gdecider" not in str(sign.value) and "fstarter" not in str(sign.value)
    unnamed = service.new(ChecklistDetails("Waste 2"), "hnoname")
    with pytest.raises(NotAllowed, match=r"\(hnoname\)"):
        service.check_may_answer(unnamed, "decision", "mallory")


def test_whether_someone_may_resolve_is_known_before_they_write_a_note(service: ChecklistService) -> None:
    checklist_id = service.new(ChecklistDetails("Fleet", decision_maker="kdecider"), "jstarter")
    with pytest.raises(NotAllowed):
        service.check_may_resolve(checklist_id, "jstarter")
    service.check_may_resolve(checklist_id, "kdecider")


def test_the_cli_names_people_as_the_chat_does(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name Dora gave in the chat stands for her login in the CLI; a name nobody gave is refused."""
    monkeypatch.setenv("LOGNAME", "dsingh")
    assert run("chat", input="name\nDora Singh\nquit\n").exit_code == 0
    unknown = run("checklist", "new", "--title", "Cleaning", "--decision-maker", "Dora Patel", "--by", "alice")
    assert unknown.exit_code == 1 and "'Dora Patel' is not a name anyone has given svbot" in unknown.stderr
    started = run(
        "checklist", "new", "--title", "Cleaning", "--decision-maker", "dora singh", "--by", "alice", "--json"
    )
    checklist_id = json.loads(started.stdout)["id"]
    named = run("checklist", "decision-maker", checklist_id, "Dora Singh", "--by", "alice")
    assert named.stdout.strip() == f"Dora Singh (dsingh) can now sign off checklist {checklist_id}."
    answer = ("checklist", "answer", checklist_id, "outcomes", "--decision", "none-relevant", "--reasons", "n/a")
    assert run(*answer, "--by", "alice").exit_code == 0
    disputed = run("checklist", "dispute", checklist_id, "outcomes", "--note", "One office, no staff.", "--by", "alice")
    assert "until the decision maker (Dora Singh) accepts it" in disputed.stdout
    refused = run("checklist", "resolve", checklist_id, "outcomes", "--note", "ok", "--by", "alice")
    assert refused.exit_code == 1 and "Only the decision maker (Dora Singh)" in refused.stderr
    note = "Agreed: the reasons fit this contract."
    resolved = run("checklist", "resolve", checklist_id, "outcomes", "--note", note, "--by", "dsingh", "--json")
    assert json.loads(resolved.stdout)["status"] == "upheld"
