"""The scope finder: which social value duties apply to a proposed procurement.

It answers from figures in ``knowledge/facts.yaml`` (thresholds in force on the
procurement's start date, the VAT rate) and rules in ``knowledge/scope.yaml``
(which threshold each body and kind of contract is judged against, and the
source of each rule). ``act_applies`` is about s.1 of the Public Services
(Social Value) Act 2012: True, False, or None when the facts given are not
enough (the notes say what is missing). Every sentence comes from a template
in ``prompts/scope/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import ScopeDuty, ScopeFile, Source
from bot.render import Renderer

BODIES = ("central", "sub-central", "devolved-welsh", "scottish", "ni", "ni-department", "ni-council", "utility", "nhs")
BODY_NAMES = {
    "central": "central government authority",
    "sub-central": "sub-central authority",
    "devolved-welsh": "devolved Welsh authority",
    "scottish": "Scottish public body",
    "ni": "Northern Ireland public body",
    "ni-department": "Northern Ireland department, agency, NDPB or public corporation",
    "ni-council": "Northern Ireland district council",
    "utility": "utility",
    "nhs": "NHS trust or foundation trust",
}
TYPES = ("services", "goods", "works", "mixed", "light-touch")
TYPE_NAMES = {
    "services": "Services",
    "goods": "Goods",
    "works": "Works",
    "mixed": "Mixed contract",
    "light-touch": "Light touch services",
}
VAT_CHOICES = ("included", "excluded", "exempt")
# A value is taken to exclude VAT unless the person says otherwise (interfaces: `svbot scope --vat`).
DEFAULT_VAT = "excluded"
ARRANGEMENTS = ("contract", "framework", "call-off")
# Northern Ireland bodies: PPN 01/21 binds departments and the bodies NI procurement policy covers,
# not district councils; "ni" is an NI public body not said to be either.
NI_BODIES = ("ni", "ni-department", "ni-council")
BODY_NATION = {"devolved-welsh": "Wales", "scottish": "Scotland", **dict.fromkeys(NI_BODIES, "Northern Ireland")}
# In a devolved nation a sub-central or NHS body is usually that nation's own public body (a Welsh
# council, a Scottish health board): it is taken as one unless the user says it is a UK body.
NATION_BODY = {"Wales": "devolved-welsh", "Scotland": "scottish", "Northern Ireland": "ni"}
LOCAL_BODIES = ("sub-central", "nhs")
# The share of services above which a mixed contract is a services contract: "the greater part by value".
SERVICES_MAJORITY = 50.0
ACT_COMMENCEMENT_FACT = "date.procurement-act.commencement"
# Before these dates the question is not the Procurement Act's or the PCR 2015's: no s.1 duty
# yet (the 2012 Act's commencement), then the PCR 2006, a regime svbot does not cover.
SOCIAL_VALUE_ACT_FACT = "date.social-value-act.commencement"
PCR_2015_FACT = "date.pcr-2015.commencement"
# PPN 002's Social Value Model is mandatory for in-scope organisations from this date.
PPN002_MANDATORY_FACT = "date.ppn002.mandatory"
# Each devolved nation's own social value duty (scope.yaml's ids): where s.1 does not apply, the
# sentence a team pastes names it, so "does not apply" is never read as "no duty at all".
# How a kind of contract's figure is named where two figures are set side by side.
KIND_FIGURE = {"services": "goods and services", "goods": "goods and services", "works": "works",
               "light-touch": "light touch"}  # fmt: skip
# Wales: whether this contract is a "prescribed contract" on which the nation's duty asks more.
WELSH_PRESCRIBED = "wales.prescribed-contracts"
NATION_DUTY = {
    "Wales": "wales.socially-responsible-procurement",
    "Scotland": "scotland.sustainable-procurement",
    "Northern Ireland": "ni.ppn-01-21",
}

Kind = Literal["services", "goods", "works", "light-touch"]


class ScopeError(ValueError):
    """The question cannot be asked: the knowledge has no scope.yaml, or an argument is wrong."""


@dataclass(frozen=True)
class Procurement:
    """What the commissioner proposes to buy."""

    type: str
    value: float
    body: str | None = None
    nation: str | None = None  # jurisdiction name: "Wales"
    start: dt.date = field(default_factory=dt.date.today)
    vat: str = DEFAULT_VAT
    services_share: float | None = None
    framework: bool = False
    call_off: bool = False
    health_care: bool = False
    # A body in Wales, Scotland or Northern Ireland whose functions are mainly not devolved.
    uk_body: bool = False
    # Words in a guessed description that suggest a light-touch service ("home care"): the
    # finder then answers only where a services contract and a light-touch one get the same answer.
    light_touch_hint: str | None = None
    # When only a month or a year was given ("starting in 2025"): the last day it may start, ``start``
    # being the first. ``ScopeFinder.find_period`` answers for each part of it with its own answer.
    start_until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ScopeError(f"unknown contract type '{self.type}': use one of {', '.join(TYPES)}")
        if self.body is not None and self.body not in BODIES:
            raise ScopeError(f"unknown body type '{self.body}': use one of {', '.join(BODIES)}")
        if self.vat not in VAT_CHOICES:
            raise ScopeError(f"unknown VAT choice '{self.vat}': use one of {', '.join(VAT_CHOICES)}")
        if not self.value > 0:
            raise ScopeError("the value must be a positive amount in pounds")
        if self.services_share is not None and not 0 <= self.services_share <= 100:
            raise ScopeError("the services share is a percentage from 0 to 100")
        if self.start_until is not None and self.start_until < self.start:
            raise ScopeError("the start period ends before it begins")

    @property
    def kind(self) -> Kind | None:
        """The kind of contract thresholds are read for; None for a mixed contract of unknown share."""
        if self.type == "mixed":
            if self.services_share is None:
                return None
            return "services" if self.services_share > SERVICES_MAJORITY else "goods"
        return self.type  # type: ignore[return-value]

    def body_in(self, nation: str | None) -> tuple[str | None, bool]:
        """The body type the rules are read for, and whether it was taken from the nation.

        A sub-central or NHS body in Wales, Scotland or Northern Ireland is taken as that
        nation's own public body unless ``uk_body`` says otherwise.
        """
        if self.body in LOCAL_BODIES and nation in NATION_BODY and not self.uk_body:
            return NATION_BODY[nation], True
        return self.body, False


@dataclass(frozen=True)
class Threshold:
    id: str
    amount: float
    effective_from: dt.date
    source: Source
    basis: str | None  # the fact's VAT basis: "included", "excluded", or None where its source does not say

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "amount": self.amount,
            "effective_from": self.effective_from.isoformat(),
            "source": self.source.model_dump(exclude_none=True),
        }


@dataclass(frozen=True)
class Duty:
    id: str
    title: str
    applies: bool | None
    why: str
    source: Source
    entry: str | None = None
    # ``why`` worded to follow a colon inside another sentence (the nation's own duty in the s.1 sentence).
    clause: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "applies": self.applies,
            "why": self.why,
            "source": self.source.model_dump(exclude_none=True),
        }


@dataclass(frozen=True)
class ScopeResult:
    act_applies: bool | None
    why: str
    value_incl_vat: float | None
    threshold: Threshold | None
    duties: list[Duty]
    notes: list[str]
    rule_source: Source | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "act_applies": self.act_applies,
            "why": self.why,
            "value_incl_vat": self.value_incl_vat,
            "threshold": self.threshold.as_json() if self.threshold else None,
            "duties": [d.as_json() for d in self.duties],
            "notes": self.notes,
        }


def _money(amount: float) -> str:
    return f"£{amount:,.0f}" if float(amount).is_integer() else f"£{amount:,.2f}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def starting(start: dt.date, until: dt.date | None = None) -> str:
    """When a procurement starts, in words: "starting 3 March 2026", "starting in 2025", "starting in
    March 2026", or "starting between 1 January and 23 February 2025" for a part of a year."""
    if until is None or until == start:
        return f"starting {_day(start)}"
    if (start.month, start.day, until.month, until.day) == (1, 1, 12, 31) and start.year == until.year:
        return f"starting in {start.year}"
    next_day = until + dt.timedelta(days=1)
    if start.day == 1 and (start.year, start.month) == (until.year, until.month) and next_day.day == 1:
        return f"starting in {start.strftime('%B')} {start.year}"
    first = f"{start.day} {start.strftime('%B')}" if start.year == until.year else _day(start)
    return f"starting between {first} and {_day(until)}"


def parts_context(p: Procurement, parts: list[tuple[dt.date, dt.date, ScopeResult]]) -> dict[str, Any]:
    """What ``prompts/scope/parts.txt.j2`` (and its Slack form) need to give the answer for each part
    of a start period that a change splits (``ScopeFinder.find_period``)."""
    return {
        "parts": parts,
        "when": starting(p.start, p.start_until).removeprefix("starting "),
        "starting": starting,
        "example": _day(parts[1][0] if len(parts) > 1 else parts[0][0]),
    }


def _same_answer(a: ScopeResult, b: ScopeResult) -> bool:
    """Whether two answers are the same but for the start date: verdict, threshold, rule and duties."""

    def key(r: ScopeResult) -> tuple[Any, ...]:
        threshold = (r.threshold.id, r.threshold.amount, r.threshold.effective_from) if r.threshold else None
        rule = r.rule_source.title if r.rule_source else None
        return r.act_applies, threshold, rule, tuple((d.id, d.applies) for d in r.duties)

    return key(a) == key(b)


class ScopeFinder:
    """Answers scope questions for one knowledge snapshot."""

    def __init__(self, kb: KnowledgeBase, renderer: Renderer | None = None, surface: str = "cli"):
        """``surface`` (cli, chat or slack) words the notes that say how to give a missing input."""
        if kb.scope is None:
            raise ScopeError(f"the knowledge folder {kb.folder} has no scope.yaml: the scope finder has no rules")
        self.kb = kb
        self.rules: ScopeFile = kb.scope
        self.facts = getattr(kb, "facts", None)
        self.renderer = renderer or Renderer()
        self.ask = self.renderer.strings("scope/ask.txt.j2").surfaces[surface]

    # Figures ----------------------------------------------------------------

    def _fact(self, fact_id: str, when: dt.date) -> Any | None:
        return self.facts.on(fact_id, when) if self.facts is not None else None

    def _threshold(self, fact_id: str, when: dt.date) -> Threshold | None:
        value = self._fact(fact_id, when)
        if value is None:
            return None
        basis = getattr(value.fact, "vat", None)
        return Threshold(fact_id, float(value.value), value.effective_from, value.source, basis)

    def _values(self, p: Procurement) -> tuple[float | None, float | None, str | None]:
        """(value including VAT, value without VAT, the VAT rate shown) on the start date."""
        if p.vat == "exempt":
            return p.value, p.value, None
        rate = self._fact(self.rules.vat_rate_fact, p.start)
        if rate is None:
            return (p.value, None, None) if p.vat == "included" else (None, p.value, None)
        factor = 1 + float(rate.value) / 100
        if p.vat == "included":
            return p.value, p.value / factor, rate.text
        return round(p.value * factor, 2), p.value, rate.text

    @staticmethod
    def _compare(threshold: Threshold, incl: float | None, excl: float | None) -> bool | None:
        """Whether the value reaches the threshold on the threshold's own VAT basis.

        Where the source does not say whether VAT counts, only a value on the same side of the
        figure with and without VAT gets an answer.
        """
        if threshold.basis == "excluded":
            values = [excl]
        elif threshold.basis == "included":
            values = [incl]
        else:
            values = [incl, excl]
        verdicts = {v >= threshold.amount for v in values if v is not None}
        return verdicts.pop() if len(verdicts) == 1 and None not in values else None

    # Wording ----------------------------------------------------------------

    def _say(self, template: str, **context: Any) -> str:
        return self.renderer.render(f"scope/{template}.txt.j2", ask=self.ask, **context)

    def _what(self, p: Procurement, incl: float | None, nation: str | None) -> str:
        label = TYPE_NAMES[p.type]
        if p.type == "mixed" and p.services_share is not None:
            label = f"{label} ({p.services_share:g}% services)"
        if p.framework:
            label = f"{label} framework"
        if p.call_off:
            label = f"{label} call-off"
        if p.vat == "exempt":
            amount = f"{_money(p.value)}, exempt from VAT"
        elif incl is not None:
            amount = f"{_money(incl)} including VAT"
        else:
            amount = f"{_money(p.value)} excluding VAT"
        body, taken = p.body_in(nation)
        name = BODY_NAMES.get(body or "", "body type not given")
        if taken:
            name = f"{name} ({BODY_NAMES[p.body or '']} in {nation})"
        return f"{label}, {amount}, {name}, {starting(p.start, p.start_until)}"

    # The decision ------------------------------------------------------------

    def find(self, p: Procurement) -> ScopeResult:
        nation = p.nation or BODY_NATION.get(p.body or "")
        incl, excl, rate = self._values(p)
        notes = self._vat_notes(p, incl, excl, rate)
        if p.nation is None and p.body in BODY_NATION:
            notes.append(self._say("note", reason="nation-from-body", nation=nation))
        elif nation is None:
            notes.append(self._say("note", reason="no-nation"))
        if p.body_in(nation)[1]:
            notes.append(self._say("note", reason="body-from-nation", nation=nation, given=BODY_NAMES[p.body or ""]))
        act, why, threshold, source, more = self._act(p, nation, incl, excl)
        notes.extend(more)
        duties = self._duties(p, nation, incl, excl)
        own = next((d for d in duties if nation and d.id == NATION_DUTY.get(nation)), None)
        if act is not True and own is not None:
            # In Wales, whether the duty asks more of this contract: whether it is a prescribed contract.
            then = next((d for d in duties if d.id == WELSH_PRESCRIBED), None) if own.applies else None
            why = self._say("why", reason="nation-duty", why=why, nation=nation, duty=own, then=then)
        return ScopeResult(act, why, incl, threshold, duties, notes, source)

    def find_period(self, p: Procurement) -> list[tuple[dt.date, dt.date, ScopeResult]]:
        """The answer for each part of ``p``'s start period (``start`` to ``start_until``) that gets
        its own: where a threshold, a rule or a duty changes within it, one part before and one
        after. One part when the whole period gets the same answer (then the answer says so)."""
        until = p.start_until or p.start
        parts: list[tuple[dt.date, dt.date, ScopeResult]] = []
        days = [p.start, *(d for d in self._changes() if p.start < d <= until)]
        regimes = self._regime_starts()
        for first, after in zip(days, [*days[1:], until + dt.timedelta(days=1)], strict=True):
            last = after - dt.timedelta(days=1)
            result = self.find(replace(p, start=first, start_until=last if last > first else None))
            # A new Act's start always splits: the same verdict under two regimes is two answers.
            if parts and first not in regimes and _same_answer(parts[-1][2], result):
                first = parts.pop()[0]
                result = self.find(replace(p, start=first, start_until=last))
            parts.append((first, last, result))
        if p.start_until is not None and len(parts) == 1:
            first, last, result = parts[0]
            note = self._say("note", reason="whole-period", when=starting(first, last)[len("starting ") :])
            parts = [(first, last, replace(result, notes=[note, *result.notes]))]
        return parts

    def _regime_starts(self) -> set[dt.date]:
        """The days the Social Value Act, the PCR 2015 and the Procurement Act came into force."""
        facts = (SOCIAL_VALUE_ACT_FACT, PCR_2015_FACT, ACT_COMMENCEMENT_FACT)
        if self.facts is None:
            return set()
        return {self.facts.get(f).values[0].value for f in facts if f in self.facts}

    def _changes(self) -> list[dt.date]:
        """Every day a figure or a date in facts.yaml takes effect or ends (the day after): the days an
        answer may change on."""
        if self.facts is None:
            return []
        days: set[dt.date] = set()
        for fact in self.facts:
            for value in fact.values:
                days.add(value.effective_from)
                if value.effective_to is not None:
                    days.add(value.effective_to + dt.timedelta(days=1))
                if isinstance(value.value, dt.date):
                    days.add(value.value)
        return sorted(days)

    def _vat_notes(self, p: Procurement, incl: float | None, excl: float | None, rate: str | None) -> list[str]:
        if p.vat == "exempt":
            return [self._say("note", reason="vat-exempt", incl=_money(p.value))]
        if p.vat == "included":
            return [self._say("note", reason="vat-included", incl=_money(p.value))]
        if incl is None:
            return []
        notes = [self._say("note", reason="vat-added", rate=rate, value=_money(p.value), incl=_money(incl))]
        if p.type == "light-touch" or p.light_touch_hint:
            notes.append(self._say("note", reason="vat-welfare"))
        return notes

    def _rule(self, name: str) -> tuple[str, Source]:
        rule = self.rules.act.rules[name]
        return rule.text, rule.source

    def _act(
        self, p: Procurement, nation: str | None, incl: float | None, excl: float | None
    ) -> tuple[bool | None, str, Threshold | None, Source | None, list[str]]:
        """s.1 of the 2012 Act: (applies, why, deciding threshold, source of the rule, extra notes)."""
        what = self._what(p, incl, nation)
        body = p.body_in(nation)[0]
        notes: list[str] = []
        if p.framework:
            notes.append(self._say("note", reason="framework"))
        if nation == "Wales" and body not in (None, "devolved-welsh") and not p.uk_body:
            notes.append(self._say("note", reason="welsh-body-check"))
        if self._before_act(p.start) and not self._before(PCR_2015_FACT, p.start):
            notes.append(self._say("note", reason="start-before-act", since=_day(p.start)))

        def by_rule(name: str, applies: bool | None) -> tuple[bool | None, str, None, Source, list[str]]:
            text, source = self._rule(name)
            return applies, self._say("why", reason="rule", what=what, rule=text, applies=applies), None, source, notes

        if commenced := self._before(SOCIAL_VALUE_ACT_FACT, p.start):
            text, source = self._rule("before-act-2012")
            why = self._say("why", reason="before-act-2012", what=what, commenced=_day(commenced), rule=text)
            return False, why, None, source, notes
        if p.call_off:
            return by_rule("call-offs", False)
        if body is None:
            notes.append(self._say("note", reason="no-body"))
            return None, self._say("why", reason="no-body", what=what), None, None, notes
        if body == "devolved-welsh":
            return by_rule("welsh-devolved", False)
        if body == "scottish" or body in NI_BODIES:
            return by_rule("england-and-wales", False)
        if nation in ("Scotland", "Northern Ireland"):
            # A UK body procuring for Scotland or Northern Ireland (central, or one the user says is a UK body).
            why = self._say("why", reason="uk-body-elsewhere", what=what, nation=nation)
            return None, why, None, self._rule("england-and-wales")[1], notes
        if commenced := self._before(PCR_2015_FACT, p.start):
            text, source = self._rule("pcr-2006")
            why = self._say("why", reason="pcr-2006", what=what, commenced=_day(commenced), rule=text)
            return None, why, None, source, notes
        if body == "utility":
            return by_rule("utilities", False)
        if p.health_care:
            return by_rule("health-care", None)
        if p.type == "mixed" and p.services_share is None:
            notes.append(self._say("note", reason="no-share"))
            return None, self._say("why", reason="no-share", what=what), None, None, notes
        kind = p.kind
        if kind in ("goods", "works"):
            return by_rule("mixed-services-minor" if p.type == "mixed" else "services-only", False)
        assert kind is not None and body is not None
        if kind == "light-touch":
            return (*self._light_touch(p, body, what, incl, excl), notes)
        threshold = self._act_threshold(body, kind, p.start)
        if threshold is None:
            return None, self._say("why", reason="no-threshold", what=what, since=_day(p.start)), None, None, notes
        applies = self._compare(threshold, incl, excl)
        if applies is None:
            return None, self._say("why", reason="no-vat-rate", what=what, since=_day(p.start)), threshold, None, notes
        if p.light_touch_hint:
            # Guessed from the words, not given: answer only if a light-touch service gets the same answer.
            if self._light_touch(p, body, what, incl, excl)[0] != applies:
                # Only before 24 February 2025, when the 2016 rule judged a light-touch service net of VAT.
                notes.append(self._say("note", reason="light-touch-ask", hint=p.light_touch_hint))
                why = self._say(
                    "why",
                    reason="light-touch-unsure",
                    what=what,
                    hint=p.light_touch_hint,
                    services=_money(threshold.amount),
                    net=_money(excl) if excl is not None else None,
                )
                return None, why, None, self._light_touch_source(), notes
            notes.append(self._say("note", reason="light-touch-same", hint=p.light_touch_hint))
        return (*self._by_act_threshold(what, threshold, applies, incl, excl), notes)

    def _by_act_threshold(
        self,
        what: str,
        threshold: Threshold,
        applies: bool,
        incl: float | None,
        excl: float | None,
        reason: str = "threshold",
        rule: str | None = None,
    ) -> tuple[bool, str, Threshold, Source]:
        """s.1 decided by ``threshold``, the sentence saying so (``reason`` the template's case,
        ``rule`` the YAML rule it quotes) and the Act's source."""
        compared = excl if threshold.basis == "excluded" else incl
        why = self._say(
            "why",
            reason=reason,
            what=what,
            net=_money(excl) if excl is not None else None,
            at=compared == threshold.amount,
            applies=applies,
            threshold=_money(threshold.amount),
            since=_day(threshold.effective_from),
            basis=threshold.basis,
            rule=rule,
        )
        return applies, why, threshold, self.rules.act.source

    def _light_touch(
        self, p: Procurement, body: str, what: str, incl: float | None, excl: float | None
    ) -> tuple[bool | None, str, Threshold | None, Source | None]:
        """s.1 for a light-touch contract: (applies, why, deciding threshold, source of the rule).

        From 24 February 2025, s.1(16)(b) and (17) (SI 2025/163) judge light-touch contracts
        against the ordinary goods and services threshold for the body, not their own higher one.
        Before then, one at or above its own threshold was covered by the Regulations, and s.1(16) as
        substituted by SI 2016/275 caught the rest at the services threshold, net of VAT.
        """
        services = self._act_threshold(body, "services", p.start)
        if services is None:
            return None, self._say("why", reason="no-threshold", what=what, since=_day(p.start)), None, None
        if not self._before_act(p.start):
            text, source = self._rule("light-touch")
            applies = self._compare(services, incl, excl)
            if applies is None:
                return None, self._say("why", reason="no-vat-rate", what=what, since=_day(p.start)), services, None
            applies, why, services, _ = self._by_act_threshold(
                what, services, applies, incl, excl, reason="light-touch", rule=text
            )
            return applies, why, services, source
        light = self._act_threshold(body, "light-touch", p.start)
        if light is not None and self._compare(light, incl, excl):
            return self._by_act_threshold(what, light, True, incl, excl)
        text, source = self._rule("light-touch-2016")
        net = replace(services, basis="excluded")
        applies = self._compare(net, incl, excl)
        if applies is None:
            return None, self._say("why", reason="no-vat-rate", what=what, since=_day(p.start)), None, source
        why = self._say(
            "why",
            reason="light-touch-2016",
            what=what,
            net=_money(excl) if excl is not None else None,
            at=excl == services.amount,
            applies=applies,
            threshold=_money(services.amount),
            since=_day(services.effective_from),
            rule=text,
        )
        return applies, why, net, source

    def _before(self, fact_id: str, when: dt.date) -> dt.date | None:
        """The date a regime came into force (a date fact), if a procurement starting ``when`` began before it."""
        if self.facts is None or fact_id not in self.facts:
            return None
        first: dt.date = self.facts.get(fact_id).values[0].value
        return first if when < first else None

    def _before_act(self, when: dt.date) -> bool:
        """Whether a procurement starting then began before the Procurement Act 2023 (facts.yaml's date)."""
        if self.facts is None or ACT_COMMENCEMENT_FACT not in self.facts:
            return False
        return bool(when < self.facts.get(ACT_COMMENCEMENT_FACT).values[0].value)

    def _act_threshold(self, body: str, kind: str, when: dt.date) -> Threshold | None:
        fact_id = self.rules.act.thresholds.get(body, {}).get(kind)  # type: ignore[call-overload]
        return self._threshold(fact_id, when) if fact_id else None

    def _light_touch_source(self) -> Source | None:
        return self.rules.light_touch.source if self.rules.light_touch else None

    # Other duties -------------------------------------------------------------

    def _duty(
        self, spec: ScopeDuty, applies: bool | None, reason: str, source: Source | None = None, **context: Any
    ) -> Duty:
        """A duty with why it does or does not apply, as a sentence and as a clause to splice (``Duty.clause``)."""
        why = self._say("duty", reason=reason, clause=False, **context)
        clause = self._say("duty", reason=reason, clause=True, **context)
        return Duty(spec.id, spec.title, applies, why, source or spec.source, spec.entry, clause)

    def _by_threshold(self, spec: ScopeDuty, p: Procurement, incl: float | None, excl: float | None) -> Duty:
        kind = p.kind or "services"
        fact_id = spec.thresholds.get(kind) or spec.thresholds.get("any")
        threshold = self._threshold(fact_id, p.start) if fact_id else None
        if threshold is None:
            return self._duty(spec, None, "no-threshold", fact=fact_id or kind, since=_day(p.start))
        applies = self._compare(threshold, incl, excl)
        compared = excl if threshold.basis == "excluded" else incl
        return self._duty(
            spec,
            applies,
            "threshold",
            value=_money(compared if compared is not None else p.value),
            reached=applies,
            threshold=_money(threshold.amount),
            since=_day(threshold.effective_from),
            basis=threshold.basis,
        )

    def _not_yet(self, spec: ScopeDuty, p: Procurement) -> Duty | None:
        """The duty as not in force, for a procurement starting before its commencement date; else None."""
        if spec.in_force is None or self.facts is None or spec.in_force not in self.facts:
            return None
        first = self.facts.get(spec.in_force).values[0]
        if p.start >= first.value:
            return None
        return self._duty(spec, False, "not-in-force", since=_day(first.value), start=_day(p.start))

    def _duties(self, p: Procurement, nation: str | None, incl: float | None, excl: float | None) -> list[Duty]:
        specs = {d.id: d for d in self.rules.duties}
        body = p.body_in(nation)[0]
        out: list[Duty] = []

        def spec(duty_id: str) -> ScopeDuty | None:
            return specs.get(duty_id)

        if nation == "Wales" and (s := spec(NATION_DUTY["Wales"])):
            if body == "devolved-welsh":
                out.append(self._not_yet(s, p) or self._duty(s, True, "wales-devolved"))
            else:
                out.append(self._duty(s, None, "wales-other"))
        if nation == "Wales" and (s := spec(WELSH_PRESCRIBED)):
            if body == "devolved-welsh":
                out.append(self._not_yet(s, p) or self._prescribed(s, p, incl, excl))
            else:
                out.append(self._duty(s, None, "wales-other"))
        if nation == "Wales" and p.type == "works" and (s := spec("wales.major-construction")):
            if body == "devolved-welsh":
                out.append(self._not_yet(s, p) or self._by_threshold(s, p, incl, excl))
            else:
                out.append(self._duty(s, None, "wales-other"))
        if nation == "Scotland":
            for duty_id in (NATION_DUTY["Scotland"], "scotland.community-benefits"):
                if s := spec(duty_id):
                    if body == "scottish":
                        out.append(self._not_yet(s, p) or self._by_threshold(s, p, incl, excl))
                    else:
                        out.append(self._duty(s, None, "other-body", bodies="Scottish contracting authorities"))
        if nation == "Northern Ireland" and (s := spec(NATION_DUTY["Northern Ireland"])):
            out.append(self._ppn_01_21(s, p, body, incl, excl))
        if body in ("central", "nhs") and not p.call_off and (s := spec("ppn-002")):
            out.append(self._ppn_002(s, p, body, incl, excl))
        if p.health_care and (s := spec("provider-selection-regime")):
            if nation in (None, "England") and p.body in ("nhs", "sub-central", "central"):
                out.append(self._duty(s, True, "psr-england"))
            else:
                out.append(self._duty(s, None, "psr-other"))
        if self.rules.policy is not None:
            out.append(self._policy(p, incl))
        return out

    def _prescribed(self, spec: ScopeDuty, p: Procurement, incl: float | None, excl: float | None) -> Duty:
        """Whether a devolved Welsh authority's contract is a prescribed contract by value (SI 2026/75 reg. 4).

        It is compared with every threshold it may fall under: each class of authority the body may be
        (a council is sub-central; a Welsh NHS body or one named only as devolved could be either) and
        each kind the contract may be (a mixed contract without a services majority may be mainly goods
        or mainly works). Only an answer they all agree on is given; otherwise the duty "may apply" and
        the sentence says what it turns on.
        """
        if p.health_care:
            return self._duty(spec, None, "prescribed-health", excluded=spec.excluded)
        classes = [p.body] if p.body in spec.thresholds_by_body else list(spec.thresholds_by_body)
        kinds = self._prescribed_kinds(p)
        compared: list[tuple[str, str, Threshold, bool | None]] = []
        for cls in classes:
            for kind in kinds:
                fact_id = spec.thresholds_by_body[cls].get(kind)  # type: ignore[call-overload]
                threshold = self._threshold(fact_id, p.start) if fact_id else None
                if threshold is None:
                    return self._duty(spec, None, "no-threshold", fact=fact_id or kind, since=_day(p.start))
                compared.append((cls, kind, threshold, self._compare(threshold, incl, excl)))
        value = _money(incl if incl is not None else p.value)
        verdicts = {applies for *_, applies in compared}
        if len(verdicts) == 1 and None not in verdicts:
            applies = verdicts.pop()
            # Above them all is shown by the highest figure, below them all by the lowest.
            cls, kind, threshold, _ = (max if applies else min)(compared, key=lambda c: c[2].amount)
            return self._duty(
                spec, applies, "prescribed", value=value, reached=applies, threshold=_money(threshold.amount),
                since=_day(threshold.effective_from), excluded=spec.excluded,
            )  # fmt: skip
        if None in verdicts:
            return self._duty(spec, None, "prescribed-vat", value=value)

        def figures(reached: bool) -> list[tuple[str, str, str | None]]:
            """(figure, kind, class of authority or None where it is every class's), lowest first."""
            named: dict[tuple[float, str], set[str]] = {}
            for cls, kind, threshold, applies in compared:
                if applies is reached:
                    named.setdefault((threshold.amount, KIND_FIGURE[kind]), set()).add(cls)
            return [
                (_money(amount), kind, None if len(named[amount, kind]) == len(classes) else min(named[amount, kind]))
                for amount, kind in sorted(named)
            ]

        reached, missed = figures(True), figures(False)
        # A kind is named where it changes: "the £135,018 goods and services threshold ... the £207,720 one".
        kinds_said = [f[1] for f in reached + missed]
        named_kind = [i == 0 or kinds_said[i] != kinds_said[i - 1] for i in range(len(kinds_said))]

        def varies(same: int, other: int) -> bool:
            """Whether entries alike in one respect (0 class, 1 kind) get different verdicts by the other."""
            return any(a[same] == b[same] and a[other] != b[other] and a[3] != b[3] for a in compared for b in compared)

        return self._duty(
            spec, None, "prescribed-depends", value=value, reached=reached, missed=missed, named_kind=named_kind,
            by_class=varies(1, 0), by_kind=varies(0, 1), light_touch="light-touch" in kinds,
        )  # fmt: skip

    @staticmethod
    def _prescribed_kinds(p: Procurement) -> list[str]:
        """The kinds of contract whose thresholds may decide a prescribed contract: one where the type says
        it; goods and works for a mixed contract that services are not the greater part of (it is mainly
        one or the other); also light touch where the words suggest a light-touch service."""
        if p.type == "mixed" and (p.services_share is None or p.services_share <= SERVICES_MAJORITY):
            return ["services", "goods", "works"] if p.services_share is None else ["goods", "works"]
        kind = p.kind or "services"
        return [kind, "light-touch"] if p.light_touch_hint and kind == "services" else [kind]

    def _ppn_002(self, spec: ScopeDuty, p: Procurement, body: str, incl: float | None, excl: float | None) -> Duty:
        """PPN 002, dated: for procurements under the Procurement Act 2023 only (PPN 06/20 before), its model
        mandatory for in-scope organisations from facts.yaml's date (a transition before it)."""
        if started := self._before(ACT_COMMENCEMENT_FACT, p.start):
            return self._duty(spec, False, "ppn002-before", since=_day(started), start=_day(p.start))
        if body == "nhs":
            return self._duty(spec, None, "ppn002-nhs")
        duty = self._by_threshold(spec, p, incl, excl)
        mandatory = self._before(PPN002_MANDATORY_FACT, p.start)
        if mandatory is not None and duty.applies:
            return self._duty(spec, None, "ppn002-transition", since=_day(mandatory), start=_day(p.start), then=duty)
        return duty

    def _ppn_01_21(
        self, spec: ScopeDuty, p: Procurement, body: str | None, incl: float | None, excl: float | None
    ) -> Duty:
        """PPN 01/21: by threshold for the bodies it binds; not binding on a district council."""
        bodies = spec.bodies
        who = bodies.text if bodies else None
        if body in NI_BODIES and (not_yet := self._not_yet(spec, p)):
            return not_yet
        if body == "ni-council" and bodies is not None:
            return self._duty(spec, False, "ni-council", source=bodies.source, bodies=who)
        if body != "ni-department":
            return self._duty(spec, None, "ni-which" if body in NI_BODIES else "other-body", bodies=who)
        if p.kind == "goods":
            return self._duty(spec, None, "ni-goods")
        return self._by_threshold(spec, p, incl, excl)

    def _policy(self, p: Procurement, incl: float | None) -> Duty:
        policy = self.rules.policy
        assert policy is not None
        type_ok = p.type in policy.types
        value = incl if incl is not None else p.value
        applies = type_ok and value >= policy.applies_from
        why = self._say(
            "duty",
            reason="policy",
            clause=False,
            value=_money(value),
            applies=value >= policy.applies_from,
            threshold=f"{_money(policy.applies_from)} (including VAT)",
            type_ok=type_ok,
        )
        return Duty("local-policy", policy.title, applies, why, policy.source)
