"""The scope finder: thresholds by date, VAT, body, nation and kind of contract; the other duties; the CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import KnowledgeBase, check_folder, load_knowledge
from bot.paths import KNOWLEDGE_DIR
from bot.scope import Procurement, ScopeError, ScopeFinder

NEW = dt.date(2026, 3, 3)  # after the 1 January 2026 thresholds
OLD = dt.date(2025, 12, 31)  # the last day of the 2025 figures


@pytest.fixture(scope="module")
def finder(kb: KnowledgeBase) -> ScopeFinder:
    return ScopeFinder(kb)


def fact(kb: KnowledgeBase, fact_id: str, day: dt.date) -> float:
    return float(kb.facts.on(fact_id, day).value)


def find(finder: ScopeFinder, type_: str, value: float, body: str | None = "sub-central", **kw):
    kw.setdefault("start", NEW)
    kw.setdefault("vat", "included")
    return finder.find(Procurement(type_, value, body, **kw))


def duty(result, duty_id: str):
    return next(d for d in result.duties if d.id == duty_id)


def test_the_issue_example(finder: ScopeFinder) -> None:
    result = find(finder, "services", 216_000)
    assert result.act_applies is True
    assert result.why == (
        "Services, £216,000 including VAT, sub-central authority, starting 3 March 2026: "
        "above the £207,720 threshold in force since 1 January 2026, so s.1 applies."
    )
    assert result.threshold.id == "threshold.sub-central.goods-services"
    assert result.threshold.effective_from == dt.date(2026, 1, 1)
    assert result.threshold.source.url.startswith("https://www.legislation.gov.uk/")


@pytest.mark.parametrize(
    ("body", "type_", "fact_id"),
    [
        ("sub-central", "services", "threshold.sub-central.goods-services"),
        ("central", "services", "threshold.central.goods-services"),
        ("nhs", "services", "threshold.central.goods-services"),
        # s.1(16)(b) and (17): light touch contracts at the ordinary goods and services threshold.
        ("sub-central", "light-touch", "threshold.sub-central.goods-services"),
        ("central", "light-touch", "threshold.central.goods-services"),
        ("nhs", "light-touch", "threshold.central.goods-services"),
    ],
)
@pytest.mark.parametrize("day", [OLD, NEW])
def test_threshold_edges(finder: ScopeFinder, kb: KnowledgeBase, body, type_, fact_id, day) -> None:
    amount = fact(kb, fact_id, day)
    below = find(finder, type_, amount - 1, body, start=day)
    at = find(finder, type_, amount, body, start=day)
    above = find(finder, type_, amount + 1, body, start=day)
    assert (below.act_applies, at.act_applies, above.act_applies) == (False, True, True)
    assert " below the " in below.why and " at the " in at.why and " above the " in above.why
    assert at.threshold.id == fact_id and at.threshold.amount == amount


def test_same_value_before_and_after_1_january_2026(finder: ScopeFinder) -> None:
    # £210,000 including VAT: below the 2025 figure (£214,904), above the 2026 one (£207,720).
    before = find(finder, "services", 210_000, start=OLD)
    after = find(finder, "services", 210_000, start=dt.date(2026, 1, 1))
    assert (before.act_applies, after.act_applies) == (False, True)
    assert "£214,904" in before.why and "£207,720" in after.why


@pytest.mark.parametrize(
    ("body", "value", "verdict"),
    [
        ("sub-central", 663_539, True),  # a pound below the light-touch figure: above the £207,720 one
        ("sub-central", 663_540, True),
        ("sub-central", 663_541, True),
        ("sub-central", 300_000, True),
        ("sub-central", 207_719, False),  # below the goods and services figure
        ("central", 150_000, True),  # above the central figure (£135,018), below the sub-central one
        ("central", 135_017, False),
    ],
)
def test_light_touch_above_and_below_663540(finder: ScopeFinder, body: str, value: int, verdict: bool) -> None:
    # s.1(16)(b) and (17) (SI 2025/163): the light-touch threshold decides nothing for s.1.
    result = find(finder, "light-touch", value, body)
    assert result.act_applies is verdict
    assert result.threshold.id == f"threshold.{'central' if body == 'central' else 'sub-central'}.goods-services"
    assert "£663,540 threshold" not in result.why and "unconfirmed" not in result.why
    assert "s.1(16)(b) and (17)" in result.why


@pytest.mark.parametrize(
    ("vat", "given", "incl", "note"),
    [
        ("included", 216_000, 216_000, "VAT: the value given already includes VAT"),
        ("excluded", 180_000, 216_000, "VAT: the value given excludes VAT, so VAT at 20% was added"),
        ("exempt", 216_000, 216_000, "VAT: the supply is exempt, so no VAT was added"),
    ],
)
def test_vat(finder: ScopeFinder, vat: str, given: float, incl: float, note: str) -> None:
    result = find(finder, "services", given, vat=vat)
    assert result.value_incl_vat == incl
    assert result.act_applies is True
    assert any(n.startswith(note) for n in result.notes)


def test_vat_makes_the_difference(finder: ScopeFinder) -> None:
    # £180,000 without VAT is £216,000 with it: above the threshold; exempt, it stays below.
    assert find(finder, "services", 180_000, vat="excluded").act_applies is True
    assert find(finder, "services", 180_000, vat="exempt").act_applies is False


def test_an_exempt_value_is_worded_as_exempt(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    amount = fact(kb, "threshold.sub-central.goods-services", NEW)
    result = find(finder, "services", amount - 1, vat="exempt")
    assert result.why.startswith("Services, £207,719, exempt from VAT, sub-central authority,")
    assert "including VAT" not in result.why
    assert result.act_applies is False


def test_light_touch_between_the_two_thresholds_is_a_definite_answer_with_its_source(finder: ScopeFinder) -> None:
    # The band that was "cannot tell" while the replacement s.1(16) was unread: s.1(16)(b) and (17),
    # substituted by SI 2025/163 reg. 7(2)(f), bring light touch contracts in at the £207,720 figure.
    result = find(finder, "light-touch", 663_539)
    assert result.act_applies is True
    assert result.why == (
        "Light touch services, £663,539 including VAT, sub-central authority, starting 3 March 2026: "
        "above the £207,720 threshold in force since 1 January 2026, so s.1 applies. "
        "Light touch contracts are judged against the ordinary goods and services threshold for the body "
        "(row 11 of the Procurement Act 2023 Schedule 1 table for central government, row 12 for sub-central "
        "authorities), not the higher light-touch threshold: s.1(16)(b) and (17), substituted by SI 2025/163 "
        "from 24 February 2025."
    )
    assert result.threshold.id == "threshold.sub-central.goods-services"
    assert result.rule_source.url == "https://www.legislation.gov.uk/ukpga/2012/3/section/1"
    assert "SI 2025/163" in result.rule_source.title and result.rule_source.date == "2025-02-24"
    below = find(finder, "light-touch", 100_000)
    assert below.act_applies is False and " below the £207,720 threshold" in below.why
    assert "s.1(16)(b)" in below.why


def test_light_touch_band_before_the_procurement_act_uses_the_2016_rule(finder: ScopeFinder, kb) -> None:
    # Before 24 February 2025, s.1(16) as substituted by SI 2016/275 (read) caught light-touch services at
    # the services threshold, judged net of VAT: the answer is known.
    day = dt.date(2024, 6, 3)
    amount = fact(kb, "threshold.sub-central.goods-services", day)
    caught = find(finder, "light-touch", amount, start=day, vat="excluded")
    assert caught.act_applies is True and " at the £214,904 services threshold" in caught.why
    assert "(compared without VAT)" in caught.why and "SI 2016/275" in caught.why
    assert caught.threshold.id == "threshold.sub-central.goods-services"
    # Above the figure only with VAT: net of VAT it is below, so s.1 does not apply.
    net_below = find(finder, "light-touch", amount - 1, start=day, vat="excluded")
    assert net_below.value_incl_vat > amount and net_below.act_applies is False


@pytest.mark.parametrize("value", [100_000, 207_719, 207_720, 400_000, 663_539, 663_540])
def test_a_guessed_services_contract_that_may_be_light_touch(finder: ScopeFinder, value) -> None:
    # The audit's case: a checklist buying "home care services for 30 adults", £400k. Since
    # 24 February 2025 a light-touch service gets the same answer as any other services contract, so
    # the finder answers without asking.
    result = find(finder, "services", value, light_touch_hint="home care")
    assert result.act_applies is (value >= 207_720)
    assert result.threshold.id == "threshold.sub-central.goods-services"
    same = "which suggests a light-touch service; the answer is the same if it is one."
    assert any(n.endswith(same) for n in result.notes)
    assert not any(n.startswith("Is this a light-touch service?") for n in result.notes)
    assert find(finder, "light-touch", value).act_applies is result.act_applies


def test_a_guessed_light_touch_service_before_the_procurement_act_is_asked_where_vat_decides(finder, kb) -> None:
    # Before 24 February 2025 the 2016 rule judged light-touch services net of VAT: a value above the
    # figure only with VAT gets different answers as services and as light touch, so the finder asks.
    day = dt.date(2024, 6, 3)
    amount = fact(kb, "threshold.sub-central.goods-services", day)
    result = find(finder, "services", amount - 1, start=day, vat="excluded", light_touch_hint="home care")
    assert result.act_applies is None and result.threshold is None
    assert "suggests a light-touch service: say whether it is one to decide." in result.why
    assert any(n.startswith("Is this a light-touch service?") and "--type light-touch" in n for n in result.notes)
    same = find(finder, "services", amount * 2, start=day, vat="excluded", light_touch_hint="home care")
    assert same.act_applies is True


def test_care_values_without_vat_mention_the_welfare_exemption(finder: ScopeFinder) -> None:
    guessed = find(finder, "services", 400_000, vat="excluded", light_touch_hint="home care")
    told = find(finder, "light-touch", 400_000, vat="excluded")
    for result in (guessed, told):
        assert any("VAT Notice 701/2" in n and "--vat exempt" in n for n in result.notes)
    assert not any("701/2" in n for n in find(finder, "services", 400_000, vat="excluded").notes)
    assert not any("701/2" in n for n in find(finder, "light-touch", 400_000, vat="exempt").notes)


@pytest.mark.parametrize("type_", ["goods", "works"])
def test_goods_only_and_works_only_are_outside_s1(finder: ScopeFinder, type_: str) -> None:
    result = find(finder, type_, 10_000_000)
    assert result.act_applies is False
    assert "does not apply" in result.why and result.threshold is None
    assert result.rule_source is not None


def test_mixed_contracts_need_the_services_share(finder: ScopeFinder) -> None:
    unknown = find(finder, "mixed", 500_000)
    assert unknown.act_applies is None and any("--services-share" in n for n in unknown.notes)
    assert find(finder, "mixed", 500_000, services_share=70).act_applies is True
    assert find(finder, "mixed", 500_000, services_share=50).act_applies is False


@pytest.mark.parametrize("share", [50, 30, 0])
def test_a_mixed_contract_without_a_services_majority_is_refused_for_that_reason(finder: ScopeFinder, share) -> None:
    # Not "goods or works alone": services are there, but not the greater part by value (EN para 12).
    result = find(finder, "mixed", 500_000, services_share=share)
    assert result.act_applies is False
    assert result.why.startswith(f"Mixed contract ({share}% services), £500,000 including VAT")
    assert "alone" not in result.why
    assert "only where services are the greater part of its value" in result.why
    assert "services are half the value or less" in result.why
    assert "Explanatory Notes, para 12" in result.rule_source.title
    assert find(finder, "mixed", 500_000, services_share=50.5).act_applies is True


def test_services_framework_and_call_off(finder: ScopeFinder) -> None:
    framework = find(finder, "services", 2_000_000, framework=True)
    assert framework.act_applies is True
    assert framework.why.startswith("Services framework,")
    assert any(n.startswith("Framework:") for n in framework.notes)
    call_off = find(finder, "services", 2_000_000, call_off=True)
    assert call_off.act_applies is False and "call-off" in call_off.why


def test_unknown_body_is_null_with_a_note(finder: ScopeFinder) -> None:
    result = find(finder, "services", 500_000, body=None)
    assert result.act_applies is None
    assert any("--body" in n for n in result.notes)


def test_central_government_gets_ppn_002(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    amount = fact(kb, "threshold.central.goods-services", NEW)
    above = find(finder, "goods", amount, "central")
    assert above.act_applies is False  # goods: outside s.1 ...
    assert duty(above, "ppn-002").applies is True  # ... but PPN 002 covers it
    assert duty(find(finder, "goods", amount - 1, "central"), "ppn-002").applies is False


def test_nhs_trust_uses_the_central_threshold_and_ppn_002_is_not_assumed(finder: ScopeFinder, kb) -> None:
    amount = fact(kb, "threshold.central.goods-services", NEW)
    result = find(finder, "services", amount, "nhs")
    assert result.act_applies is True and result.threshold.id == "threshold.central.goods-services"
    assert duty(result, "ppn-002").applies is None


def test_health_care_services_bring_the_provider_selection_regime(finder: ScopeFinder) -> None:
    result = find(finder, "services", 900_000, "nhs", health_care=True, nation="England")
    assert duty(result, "provider-selection-regime").applies is True
    # Outside s.1(16)(a); whether s.1(16)(b) reaches a Provider Selection Regime contract is unconfirmed.
    assert result.act_applies is None
    assert "s.1(16)(b)" in result.why and "cautious course" in result.why


def test_a_utilities_contract_is_outside_s1(finder: ScopeFinder) -> None:
    # s.1(16)(a) and (b)(ii) leave out utilities contracts (Procurement Act 2023 s.6).
    result = find(finder, "services", 5_000_000, "utility")
    assert result.act_applies is False
    assert "s.1 does not apply" in result.why and "utilities contracts" in result.why
    assert result.rule_source.url == "https://www.legislation.gov.uk/ukpga/2012/3/section/1"


SPPP_IN_FORCE = dt.date(2026, 3, 25)  # SI 2025/1353 (W. 220), art. 2


def test_devolved_welsh_body(finder: ScopeFinder) -> None:
    result = find(finder, "services", 5_000_000, "devolved-welsh", start=SPPP_IN_FORCE)
    assert result.act_applies is False
    assert duty(result, "wales.socially-responsible-procurement").applies is True
    assert any("Wales" in n for n in result.notes)


def test_the_welsh_duties_are_not_in_force_before_25_march_2026(finder: ScopeFinder) -> None:
    before = find(finder, "works", 5_000_000, "devolved-welsh", start=SPPP_IN_FORCE - dt.timedelta(days=1))
    for duty_id in ("wales.socially-responsible-procurement", "wales.major-construction"):
        assert duty(before, duty_id).applies is False
        assert "Not in force for this procurement" in duty(before, duty_id).why
        assert "25 March 2026" in duty(before, duty_id).why


@pytest.mark.parametrize("body", ["sub-central", "nhs"])
def test_a_council_or_nhs_body_in_wales_is_a_devolved_welsh_authority(finder: ScopeFinder, body: str) -> None:
    # The audit's case: --type services --value 300000 --body sub-central --nation wales.
    result = find(finder, "services", 300_000, body, nation="Wales", vat="excluded", start=SPPP_IN_FORCE)
    assert result.act_applies is False
    assert "devolved Welsh authority" in result.why and "s.1 does not apply" in result.why
    assert duty(result, "wales.socially-responsible-procurement").applies is True
    assert any(n.startswith("Taken as a devolved Welsh authority") and "--uk-body" in n for n in result.notes)
    assert "ppn-002" not in [d.id for d in result.duties]


def test_a_uk_body_in_wales_is_judged_by_the_threshold(finder: ScopeFinder) -> None:
    result = find(finder, "services", 500_000, "sub-central", nation="Wales", uk_body=True, start=SPPP_IN_FORCE)
    assert result.act_applies is True
    assert result.threshold.id == "threshold.sub-central.goods-services"
    assert duty(result, "wales.socially-responsible-procurement").applies is None
    assert not any(n.startswith("Taken as") for n in result.notes)


def test_central_government_in_wales_is_told_to_check(finder: ScopeFinder) -> None:
    result = find(finder, "services", 500_000, "central", nation="Wales")
    assert result.act_applies is True
    assert duty(result, "wales.socially-responsible-procurement").applies is None
    assert any("--body devolved-welsh" in n for n in result.notes)


def test_major_construction_contracts_in_wales(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    amount = fact(kb, "threshold.sppp.major-construction", SPPP_IN_FORCE)

    def major(value, body="devolved-welsh", **kw):
        kw.setdefault("start", SPPP_IN_FORCE)
        return duty(find(finder, "works", value, body, nation="Wales", **kw), "wales.major-construction")

    assert (major(amount - 1).applies, major(amount).applies, major(amount + 1).applies) == (False, True, True)
    # The audit's case: a Welsh council's £3.6m works contract, named as a sub-central body in Wales.
    council = major(3_600_000, "sub-central")
    assert council.applies is True and "£2,000,000" in council.why
    assert council.source.url == "https://www.legislation.gov.uk/asc/2023/1/section/25"
    # The figure includes VAT (Explanatory Notes para 67): £1.8m without VAT is £2.16m with it.
    assert major(1_800_000, vat="excluded").applies is True
    assert major(3_600_000, "sub-central", uk_body=True).applies is None
    services = find(finder, "services", 3_600_000, "devolved-welsh", start=SPPP_IN_FORCE)
    assert "wales.major-construction" not in [d.id for d in services.duties]


def test_scottish_body(finder: ScopeFinder) -> None:
    small = find(finder, "services", 49_999, "scottish", vat="exempt")
    assert small.act_applies is False
    assert duty(small, "scotland.sustainable-procurement").applies is False
    big = find(finder, "works", 5_000_000, "scottish", vat="exempt")
    assert duty(big, "scotland.sustainable-procurement").applies is True
    assert duty(big, "scotland.community-benefits").applies is True
    # The 2014 Act's figures exclude VAT (s.5(1)): a value over them only with VAT added is below them.
    close = find(finder, "services", 3_400_000, "scottish", vat="excluded")
    assert close.value_incl_vat == 4_080_000
    assert duty(close, "scotland.community-benefits").applies is False
    assert "(compared without VAT)" in duty(close, "scotland.community-benefits").why
    assert not any("; thresholds include VAT" in n for n in close.notes)  # the Scottish ones do not
    assert duty(find(finder, "works", 4_000_000, "scottish", vat="excluded"), "scotland.community-benefits").applies
    regulated = [find(finder, "goods", v, "scottish", vat="excluded") for v in (49_999, 50_000)]
    assert [duty(r, "scotland.sustainable-procurement").applies for r in regulated] == [False, True]
    # A value given with VAT has it taken off before the comparison: £60,000 with VAT is £50,000 without.
    with_vat = find(finder, "services", 59_999, "scottish", vat="included")
    assert duty(with_vat, "scotland.sustainable-procurement").applies is False


@pytest.mark.parametrize("body", ["sub-central", "nhs"])
def test_a_council_or_health_board_in_scotland_is_a_scottish_body(finder: ScopeFinder, body: str) -> None:
    result = find(finder, "works", 5_000_000, body, nation="Scotland", vat="exempt")
    assert result.act_applies is False and "Scottish public body" in result.why
    assert duty(result, "scotland.sustainable-procurement").applies is True
    assert any(n.startswith("Taken as a Scottish public body") for n in result.notes)
    uk = find(finder, "works", 5_000_000, body, nation="Scotland", vat="exempt", uk_body=True)
    assert uk.act_applies is None
    assert duty(uk, "scotland.sustainable-procurement").applies is None


def test_northern_ireland_department(finder: ScopeFinder, kb: KnowledgeBase) -> None:
    amount = fact(kb, "threshold.central.goods-services", NEW)
    result = find(finder, "services", amount, "ni-department")
    assert result.act_applies is False
    assert duty(result, "ni.ppn-01-21").applies is True
    assert duty(find(finder, "services", amount - 1, "ni-department"), "ni.ppn-01-21").applies is False
    assert duty(find(finder, "goods", amount, "ni-department"), "ni.ppn-01-21").applies is None


def test_northern_ireland_council_is_not_bound_by_ppn_01_21(finder: ScopeFinder) -> None:
    # NI procurement policy binds departments, agencies, NDPBs and public corporations; district
    # councils comply only voluntarily (finance-ni.gov.uk), as the NI knowledge entry says.
    result = find(finder, "services", 5_000_000, "ni-council")
    assert result.act_applies is False and "Northern Ireland district council" in result.why
    ppn = duty(result, "ni.ppn-01-21")
    assert ppn.applies is False
    assert ppn.why.startswith("Not binding on your council") and "voluntary" in ppn.why
    assert (
        ppn.source.url == "https://www.finance-ni.gov.uk/articles/policy-handbook-public-procurement-northern-ireland"
    )


def test_an_ni_body_not_said_to_be_a_department_or_council_is_asked(finder: ScopeFinder) -> None:
    ppn = duty(find(finder, "services", 5_000_000, "ni"), "ni.ppn-01-21")
    assert ppn.applies is None and "--body ni-department or --body ni-council" in ppn.why


def test_the_ni_entry_and_the_scope_rule_name_the_same_bodies(kb: KnowledgeBase) -> None:
    entry = kb.get("legal.northern-ireland")
    [rule] = [d.bodies for d in kb.scope.duties if d.id == "ni.ppn-01-21"]
    assert rule.source.url in [s.url for s in entry.sources]
    for words in ("departments", "agencies", "non-departmental public bodies", "public corporations", "voluntary"):
        assert words in rule.text and words in entry.body


@pytest.mark.parametrize("body", ["sub-central", "nhs"])
def test_a_council_or_hsc_body_in_northern_ireland(finder: ScopeFinder, body: str) -> None:
    result = find(finder, "services", 5_000_000, body, nation="Northern Ireland")
    assert result.act_applies is False  # the 2012 Act is a law for England and Wales
    # PPN 01/21 binds NI departments and their bodies, not councils: which this is decides, so it is asked.
    assert duty(result, "ni.ppn-01-21").applies is None
    assert "--body ni-department or --body ni-council" in duty(result, "ni.ppn-01-21").why
    assert any(n.startswith("Taken as a Northern Ireland public body") for n in result.notes)


def test_no_duties_listed_where_none_are_in_play(finder: ScopeFinder) -> None:
    assert find(finder, "services", 500_000, "sub-central", nation="England").duties == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"type": "hardware", "value": 1.0},
        {"type": "services", "value": 0.0},
        {"type": "services", "value": 1.0, "body": "parish"},
        {"type": "services", "value": 1.0, "vat": "maybe"},
        {"type": "mixed", "value": 1.0, "services_share": 120.0},
    ],
)
def test_bad_procurements_are_refused(kwargs: dict) -> None:
    with pytest.raises(ScopeError):
        Procurement(**kwargs)


# The authority's own policy, and checks on scope.yaml -------------------------------------


def _copy_with(tmp_path: Path, edit) -> Path:
    folder = Path(shutil.copytree(KNOWLEDGE_DIR, tmp_path / "knowledge"))
    path = folder / "scope.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def test_local_policy_applies_to_goods_over_its_figure(tmp_path: Path) -> None:
    policy = {
        "title": "Our social value policy",
        "applies_from": 100000,
        "types": ["services", "goods"],
        "source": {"title": "Cabinet decision", "citation": "Cabinet minute 12", "date": "2025-03-05"},
    }
    kb = load_knowledge(_copy_with(tmp_path, lambda d: d.update(policy=policy)))
    finder = ScopeFinder(kb)
    assert duty(find(finder, "goods", 100_000), "local-policy").applies is True
    assert duty(find(finder, "goods", 99_999), "local-policy").applies is False
    assert duty(find(finder, "works", 5_000_000), "local-policy").applies is False


def test_kb_check_refuses_a_rule_naming_a_missing_fact(tmp_path: Path) -> None:
    def edit(data: dict) -> None:
        data["act"]["thresholds"]["sub-central"]["services"] = "threshold.nowhere"

    kb, findings = check_folder(_copy_with(tmp_path, edit))
    assert kb is None
    [finding] = [f for f in findings if f.code == "unknown-fact"]
    assert finding.file.endswith("scope.yaml") and finding.line > 1 and "threshold.nowhere" in finding.message


# The command line ------------------------------------------------------------------------


def test_cli_json_shape(run) -> None:
    result = run(
        "scope", "--type", "services", "--value", "£216,000", "--vat", "included",
        "--body", "sub-central", "--start", "2026-03-03", "--json",
    )  # fmt: skip
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"act_applies", "why", "value_incl_vat", "threshold", "duties", "notes"}
    assert data["act_applies"] is True and data["value_incl_vat"] == 216000
    assert set(data["threshold"]) == {"id", "amount", "effective_from", "source"}
    assert data["threshold"]["effective_from"] == "2026-01-01"


def test_cli_defaults_from_the_environment(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_BODY", "devolved-welsh")
    data = json.loads(run("scope", "--type", "services", "--value", "300k", "--json").stdout)
    assert data["act_applies"] is False
    assert [d["id"] for d in data["duties"]] == ["wales.socially-responsible-procurement", "wales.prescribed-contracts"]


def test_cli_plain_text_is_pasteable(run) -> None:
    out = run("scope", "--type", "services", "--value", "216000", "--vat", "included", "--body", "sub-central",
              "--start", "2026-03-03").stdout  # fmt: skip
    assert "Yes" in out.splitlines()[0]
    assert "above the £207,720 threshold in force since 1 January 2026, so s.1 applies." in out


def test_cli_sub_central_in_wales(run) -> None:
    args = ["scope", "--type", "services", "--value", "300000", "--body", "sub-central", "--nation", "wales",
            "--start", "2026-04-01"]  # fmt: skip
    out = run(*args).stdout
    assert out.splitlines()[0].endswith("apply? No")
    assert "devolved Welsh authority (sub-central authority in Wales)" in out
    data = json.loads(run(*args, "--uk-body", "--json").stdout)
    assert data["act_applies"] is True


@pytest.mark.parametrize(
    ("value", "readings"),
    [("£1,2m", ("£1,200,000", "£12,000,000")), ("216.000", ("£216", "£216,000")), ("1,500k", ("£1,500", "£1,500,000"))],
)
def test_cli_refuses_a_value_that_reads_two_ways(run, value: str, readings: tuple[str, str]) -> None:
    result = run("scope", "--type", "services", "--value", value)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "could be read two ways" in result.stderr and "1.2m or £1,200,000" in result.stderr
    assert all(r in result.stderr for r in readings)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("value", "meant"),
    [("1.200,50", "£1,200.50"), ("216.000,00", "£216,000"), ("1.200.000", "£1,200,000"), ("£1.200.000", "£1,200,000")],
)
def test_cli_names_the_one_reading_of_points_between_thousands(run, value: str, meant: str) -> None:
    result = run("scope", "--type", "services", "--value", value)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"'{value}' reads as {meant} written with points between thousands" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--type", "services", "--value", "lots"],
        ["--type", "services", "--value", "1000", "--start", "2026-02-30"],
        ["--type", "teapots", "--value", "1000"],
        ["--type", "services", "--value", "1000", "--services-share", "40"],
        ["--type", "services", "--value", "1000", "--framework", "--call-off"],
    ],
)
def test_cli_bad_arguments_exit_2(run, args: list[str]) -> None:
    result = run("scope", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_cli_bad_body_setting_exits_2(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVBOT_BODY", "parish")
    result = run("scope", "--type", "services", "--value", "1000")
    assert result.exit_code == 2 and "SVBOT_BODY" in result.stderr


@pytest.mark.parametrize(
    ("body", "value", "named"),
    [
        ("scottish", 216_000, "In Scotland the nation's own duty applies (Sustainable procurement duty, s.9): £180"),
        ("scottish", 40_000, "In Scotland the nation's own duty does not apply (Sustainable procurement duty, s.9)"),
        ("devolved-welsh", 216_000, "In Wales the nation's own duty applies (Socially responsible procurement duty"),
        ("ni-department", 216_000, "In Northern Ireland the nation's own duty applies (PPN 01/21 Scoring Social"),
    ],
)
def test_where_s1_does_not_apply_the_sentence_names_the_nations_own_duty(
    finder: ScopeFinder, body: str, value: float, named: str
) -> None:
    result = find(finder, "services", value, body, start=dt.date(2026, 4, 1))
    assert result.act_applies is False
    first, _, then = result.why.partition(" In ")
    assert "s.1 does not apply" in first and f"In {then}".startswith(named), result.why


def test_where_s1_applies_the_sentence_is_about_s1_alone(finder: ScopeFinder) -> None:
    # A UK body in Wales: s.1 applies, and Wales's own duty is only listed with the other duties.
    result = find(finder, "services", 216_000, "central", nation="Wales")
    assert result.act_applies is True and "own duty" not in result.why
    assert "wales.socially-responsible-procurement" in [d.id for d in result.duties]


# Every way the nation's own duty can be given or refused, for each nation (the reason the duty template
# picks is in the comment).
NATION_DUTY_CASES = [
    ("devolved-welsh", "Wales", "services", dt.date(2024, 1, 1)),  # not-in-force
    ("devolved-welsh", "Wales", "services", NEW),  # wales-devolved
    ("utility", "Wales", "services", NEW),  # wales-other
    ("scottish", "Scotland", "services", NEW),  # threshold, reached
    ("scottish", "Scotland", "services", dt.date(1990, 1, 1)),  # not-in-force
    ("central", "Scotland", "services", NEW),  # other-body
    ("ni-council", "Northern Ireland", "services", NEW),  # ni-council
    ("ni", "Northern Ireland", "services", NEW),  # ni-which
    ("ni-department", "Northern Ireland", "goods", NEW),  # ni-goods
    ("ni-department", "Northern Ireland", "services", NEW),  # threshold
]


@pytest.mark.parametrize(("body", "nation", "type_", "start"), NATION_DUTY_CASES)
def test_the_nations_own_duty_reads_right_where_it_is_spliced_into_the_sentence(
    finder: ScopeFinder, body: str, nation: str, type_: str, start: dt.date
) -> None:
    result = find(finder, type_, 300_000, body, nation=nation, start=start)
    own = next(d for d in result.duties if d.id in ("wales.socially-responsible-procurement",
                                                    "scotland.sustainable-procurement", "ni.ppn-01-21"))  # fmt: skip
    opening = f"In {nation} the nation's own duty "
    assert opening in result.why, result.why
    assert result.why.endswith("): " + own.clause), result.why
    spliced = own.clause
    # After the colon the reason goes on in lower case (or with a figure), with no second colon.
    assert not spliced[0].isupper(), spliced
    assert ":" not in spliced, spliced
    # On its own, in the list of duties, it is a sentence.
    assert own.why[0].isupper() or own.why[0] == "£" or own.why.startswith("facts.yaml"), own.why


def test_the_welsh_duty_not_yet_in_force_is_one_sentence(finder: ScopeFinder) -> None:
    result = find(finder, "services", 300_000, "devolved-welsh", nation="Wales", start=dt.date(2024, 1, 1))
    assert result.why.endswith(
        "In Wales the nation's own duty does not apply (Socially responsible procurement duty, s.24): it is not"
        " in force for this procurement, which starts on 1 January 2024; the duty applies to procurements from"
        " 25 March 2026."
    ), result.why
    assert duty(result, "wales.socially-responsible-procurement").why.startswith("Not in force for this procurement")


def period(finder: ScopeFinder, first: dt.date, last: dt.date, value: float = 216_000, body: str = "sub-central"):
    return finder.find_period(Procurement("services", value, body, start=first, vat="included", start_until=last))


def test_a_year_that_one_set_of_thresholds_covers_gets_one_answer_that_says_it_took_the_year(finder) -> None:
    ((first, last, result),) = period(finder, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (first, last, result.act_applies) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31), True)
    assert "sub-central authority, starting in 2026: above the £207,720 threshold" in result.why
    assert result.notes[0].startswith("Start date taken as any day in 2026, not its first day")


@pytest.mark.parametrize(
    ("first", "last", "change"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 2, 24)),  # the Procurement Act's start
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28), dt.date(2025, 2, 24)),  # a month it splits too
        (dt.date(2013, 1, 1), dt.date(2013, 12, 31), dt.date(2013, 1, 31)),  # the Social Value Act's start
    ],
)
def test_a_start_period_a_change_splits_gets_an_answer_for_each_part(finder, first, last, change) -> None:
    parts = period(finder, first, last)
    assert [(a, b) for a, b, _ in parts] == [(first, change - dt.timedelta(days=1)), (change, last)]
    for a, _, result in parts:
        assert a.strftime("%-d %B") in result.why and "Start date taken as any day" not in " ".join(result.notes)
    assert parts[0][2].why != parts[1][2].why


def test_an_exact_start_is_one_answer_without_a_period_note(finder) -> None:
    ((first, last, result),) = finder.find_period(Procurement("services", 216_000, "sub-central", start=NEW))
    assert first == last == NEW and "starting 3 March 2026" in result.why
    assert not any(n.startswith("Start date taken as") for n in result.notes)


@pytest.mark.parametrize(
    ("body", "nation", "start", "duty_ids", "from_day"),
    [
        ("scottish", "Scotland", dt.date(1900, 1, 1), ["scotland.sustainable-procurement"], "1 June 2016"),
        ("scottish", "Scotland", dt.date(1900, 1, 1), ["scotland.community-benefits"], "1 June 2016"),
        ("scottish", "Scotland", dt.date(2015, 6, 1), ["scotland.sustainable-procurement"], "1 June 2016"),
        # The 2014 Act's regulated procurement rules came in on 18 April 2016 but s.9 only on 1 June (SSI 2016/30).
        ("scottish", "Scotland", dt.date(2016, 5, 31), ["scotland.sustainable-procurement"], "1 June 2016"),
        ("ni-department", "Northern Ireland", dt.date(1900, 1, 1), ["ni.ppn-01-21"], "1 June 2022"),
        ("ni-council", "Northern Ireland", dt.date(2020, 1, 1), ["ni.ppn-01-21"], "1 June 2022"),
    ],
)
def test_a_date_before_a_nations_duty_existed_is_told_so_not_may_apply(finder, body, nation, start, duty_ids, from_day):
    # As s.1 before 31 January 2013: a duty not yet in force does not apply, and the answer says from when it does.
    result = find(finder, "services", 300_000, body, nation=nation, start=start, vat="excluded")
    for duty_id in duty_ids:
        d = duty(result, duty_id)
        assert d.applies is False, d.why
        assert d.why.startswith("Not in force for this procurement") and f"procurements from {from_day}" in d.why
    assert "may apply" not in result.why and "does not apply" in result.why


def test_from_the_day_the_scottish_duty_came_in_it_is_decided_by_its_threshold(finder) -> None:
    result = find(finder, "services", 300_000, "scottish", start=dt.date(2016, 6, 1), vat="excluded")
    assert duty(result, "scotland.sustainable-procurement").applies is True  # s.9: SSI 2016/30, art. 4
    assert duty(result, "scotland.community-benefits").applies is False  # in force, but below its threshold


def test_a_start_period_spanning_an_acts_start_is_split_even_where_the_verdict_is_the_same(finder) -> None:
    # Health care services: "cannot tell" under either regime, but a procurement before 24 February 2025 ran
    # under the PCR 2015 and one after under the Procurement Act: two answers, not one dated 1 January.
    p = Procurement("services", 216_000, "sub-central", start=dt.date(2025, 1, 1), vat="included", health_care=True,
                    start_until=dt.date(2025, 12, 31))  # fmt: skip
    parts = finder.find_period(p)
    assert [(a, b) for a, b, _ in parts] == [
        (dt.date(2025, 1, 1), dt.date(2025, 2, 23)),
        (dt.date(2025, 2, 24), dt.date(2025, 12, 31)),
    ]
    assert any("Public Contracts Regulations 2015" in n for n in parts[0][2].notes)
    assert not any("Public Contracts Regulations 2015" in n for n in parts[1][2].notes)
