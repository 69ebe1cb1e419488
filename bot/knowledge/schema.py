"""Schemas of the admin-edited YAML files, validated with pydantic."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.yamlio import impossible_date, looks_like_date

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
EntryId = Annotated[str, StringConstraints(pattern=r"^(legal|principle|case)\.[a-z0-9]+(-[a-z0-9]+)*$")]
Jurisdiction = Literal["England", "Wales", "Scotland", "Northern Ireland"]
KIND_PREFIX = {"legal": "legal", "principle": "principle", "case_study": "case"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    citation: Text | None = None
    date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        if isinstance(value, int | dt.date):
            return str(value)
        if looks_like_date(value):
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValueError(impossible_date(str(value))) from None
        return value

    @model_validator(mode="after")
    def _url_or_citation(self) -> Source:
        if not (self.url or self.citation):
            raise ValueError("a source needs a url or a citation")
        return self


class Entry(_Strict):
    id: EntryId
    kind: Literal["legal", "principle", "case_study"]
    title: Text
    short_answer: Text
    body: Text
    questions: list[Text] = Field(min_length=5)
    keywords: list[Text] = Field(min_length=1)
    aliases: list[Text] = []
    related: list[EntryId] = []
    sources: list[Source] = []
    jurisdiction: list[Jurisdiction] = Field(min_length=1)
    last_reviewed: dt.date
    review_by: dt.date
    takeaway: Text | None = None
    uncertain: Text | None = None
    # What differs in one nation, so answers can lead with the user's own (filled by content editors).
    nation_notes: dict[Jurisdiction, Text] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Entry:
        prefix = KIND_PREFIX[self.kind]
        if not self.id.startswith(prefix + "."):
            raise ValueError(f"an entry of kind '{self.kind}' needs an id starting '{prefix}.'")
        if self.kind == "case_study" and not self.takeaway:
            raise ValueError("a case study needs a 'takeaway': what a commissioner can take from it")
        if self.review_by <= self.last_reviewed:
            raise ValueError("review_by must come after last_reviewed")
        return self


# Entry fields that are prose shown to people: the only ones where {{fact:ID}} placeholders are rendered.
PROSE_FIELDS = ("short_answer", "body", "takeaway", "uncertain", "nation_notes")

FactId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$")]
FactKind = Literal["money", "percent", "date", "text"]


class FactValueSpec(_Strict):
    """One value of a fact and the period it is in force."""

    value: int | float | dt.date | str
    effective_from: dt.date
    effective_to: dt.date | None = None
    applies: Text | None = None
    source: Source

    @field_validator("value", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        # YAML reads yes/no/true as booleans: never a figure.
        if isinstance(value, bool):
            raise ValueError("a value must be a number, a date or text, not yes/no")
        return value

    @model_validator(mode="after")
    def _period(self) -> FactValueSpec:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to must not come before effective_from")
        return self


class Fact(_Strict):
    """A figure or date that changes over time (thresholds, weightings, in-force dates)."""

    id: FactId
    title: Text
    kind: FactKind
    vat: Literal["included", "excluded"] | None = None
    notes: Text | None = None
    review_by: dt.date
    values: list[FactValueSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        if self.vat is not None and self.kind != "money":
            raise ValueError("'vat' applies only to facts of kind money")
        for i, spec in enumerate(self.values):
            problem = _kind_problem(self.kind, spec.value)
            if problem:
                raise ValueError(f"values[{i}]: {problem}")
        for earlier, later in zip(self.values, self.values[1:], strict=False):
            if later.effective_from <= earlier.effective_from:
                raise ValueError("values must be listed oldest first")
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(
                    f"the value from {earlier.effective_from.isoformat()} overlaps the one from "
                    f"{later.effective_from.isoformat()}: give it an effective_to before "
                    f"{later.effective_from.isoformat()}"
                )
        return self


def _kind_problem(kind: str, value: object) -> str | None:
    """Why ``value`` cannot be a value of a fact of ``kind`` (None when it can)."""
    if kind in ("money", "percent"):
        if not isinstance(value, int | float):
            return f"a {kind} fact needs a number (no £ or % sign), not {value!r}"
        if value < 0 or (kind == "percent" and value > 100):
            return f"{value} is not a sensible {kind}"
    elif kind == "date" and not isinstance(value, dt.date):
        return (
            impossible_date(str(value))
            if looks_like_date(value)
            else f"a date fact needs a date written YYYY-MM-DD, not {value!r}"
        )
    elif kind == "text" and not isinstance(value, str):
        return f"a text fact needs text, not {value!r}"
    return None


class FactsFile(_Strict):
    facts: list[Fact] = []


class GlossaryTerm(_Strict):
    term: Text
    meaning: Text
    variants: list[Text] = []


class GlossaryFile(_Strict):
    terms: list[GlossaryTerm] = []
    spellings: dict[str, str] = {}


class OutsideTopic(_Strict):
    """A subject svbot does not cover, and the kind of source that does."""

    topic: Text
    words: list[Text] = Field(min_length=1)
    ask: Text | None = None
    # Outside even for a question naming social value ("write my social value method statement").
    even_about_social_value: bool = False


# The signals the weights combine; the trained model's ("model") lifts their sum instead (model_lift).
Weighted = Literal["terms", "fuzzy"]
Signal = Literal["terms", "fuzzy", "model"]
Field_ = Literal["title", "aliases", "keywords", "questions", "short_answer", "takeaway", "body"]


SmallTalk = Literal["greeting", "thanks", "about_svbot"]
ScopeInput = Literal["type", "body", "vat", "arrangement"]


class MatchingFile(_Strict):
    """Matcher tuning: admins may adjust, `bench/match_quality.py` measures."""

    stopwords: list[str] = []
    weights: dict[Weighted, float]
    field_weights: dict[Field_, float]
    answer_threshold: float = Field(ge=0, le=1)
    ambiguity_margin: float = Field(ge=0, le=1)
    typo_min_length: int = Field(default=4, ge=2)
    typo_cutoff: float = Field(default=80, ge=50, le=100)
    candidates: int = Field(default=50, ge=3)
    min_query_weight: float = Field(default=3.0, ge=0)
    verbatim_cutoff: float = Field(default=0.92, ge=0.5, le=1.0)
    # How many words (not numbers or sums of money) a question must share with an entry to be
    # answered from it; one is enough when it is a glossary term or a case study's name alone.
    min_evidence_words: int = Field(default=1, ge=1)
    # A case study answers a question naming it only if they share a word besides its name that says
    # something (summed IDF at least this: "council" does not), or the question says nothing else:
    # "Preston?" is the case, "preston city council bin collection days" is not (0: off).
    case_topic_idf: float = Field(default=0.0, ge=0)
    # Below this best score an unanswered question is "outside what I cover", not "not sure".
    outside_threshold: float = Field(default=0.0, ge=0, le=1)
    outside_override: float = Field(default=1.0, ge=0, le=1)
    outside: list[OutsideTopic] = []
    # Words that make a question about social value ("social value", "living wage"): a question
    # naming one is matched as usual even when it also names a subject svbot does not cover.
    anchors: list[str] = []
    definition_cues: list[str] = []
    definition_words: list[str] = []
    membership_cues: list[str] = []
    followup_cues: list[str] = []
    followup_max_terms: int = Field(default=3, ge=1)
    # Words that refer back ("it", "that"): a short question with one that svbot cannot answer on
    # its own is read with the previous answer, as a follow-up.
    followup_refs: list[str] = []
    # The share of its score the topic just answered gains in a follow-up's ranking.
    followup_stay: float = Field(default=0.0, ge=0.0, le=1.0)
    # Places and bodies that name a nation ("a London borough", "Gwynedd"): a question naming one
    # is about that nation, whatever the asker's own.
    nation_places: dict[Jurisdiction, list[str]] = {}
    # A message that is only a greeting, thanks or a question about svbot itself ("hello", "cheers",
    # "who are you?"): kind -> its phrases.
    small_talk: dict[SmallTalk, list[Text]] = {}
    # Words that may come with small talk without making it a question ("thanks *very much*").
    small_talk_fillers: list[str] = []
    # Common Welsh words: a question mostly of these is in Welsh, which svbot does not read
    # (bot.matching.language): it is told svbot answers in English, not "outside what I cover".
    welsh_words: list[str] = []
    # After a scope finder answer, a follow-up naming one of these asks the finder again with
    # that input changed: input (type, body, vat, arrangement) -> the finder's value -> phrases that name it.
    scope_followups: dict[ScopeInput, dict[str, list[Text]]] = {}
    # Words such a follow-up may also use without naming anything else ("a goods *contract*").
    scope_followup_fillers: list[str] = []
    # A question naming a nation: the share of its score an entry that does not apply there
    # loses, and what an entry that does loses for each other nation it also covers.
    nation_mismatch: float = Field(default=0.0, ge=0, le=1)
    nation_shared: float = Field(default=0.0, ge=0, le=1 / 3)
    # A question naming no nation, asked by someone in Wales, Scotland or Northern Ireland
    # (SVBOT_NATION, --nation, the checklist's): the share of its score that a legal entry written
    # for that nation alone gains (up to 1).
    home_own: float = Field(default=0.0, ge=0, le=1)
    # The same question: the share of its score that a legal entry written for another devolved
    # nation alone loses (a Scottish officer's "our duty" is not the Welsh Act's).
    home_other: float = Field(default=0.0, ge=0, le=1)
    # A question that neither names a case study nor asks for an example: the share of its
    # score a case study loses.
    case_unnamed: float = Field(default=0.0, ge=0, le=1)
    example_cues: list[str] = []
    # A question asking for a case study ("any case study of...") is answered only by one.
    case_study_cues: list[str] = []
    # A question on what the law requires (one of these cues): the share of its score an
    # entry that is not a legal one (good practice, a case study) loses.
    obligation_not_legal: float = Field(default=0.0, ge=0, le=1)
    obligation_cues: list[str] = []
    # A question whether the duty reaches a contract (one of these cues) that names a sum of money
    # ("... for a 50k cleaning contract"): it turns on the thresholds, so these entries gain
    # value_question of their score (up to 1).
    value_question: float = Field(default=0.0, ge=0, le=1)
    # The trained model (matcher_model.json, bench/train_matcher.py): how far its probability of an entry
    # lifts the rules' score towards it (0: not used), and at or above what probability that a question
    # is outside what svbot covers it is not answered.
    model_lift: float = Field(default=0.0, ge=0, le=1)
    model_outside: float = Field(default=1.0, ge=0, le=1)
    # How many of the model's likeliest entries join the candidates the rules scored.
    model_candidates: int = Field(default=3, ge=0)
    value_question_cues: list[str] = []
    value_question_entries: list[EntryId] = []

    @model_validator(mode="after")
    def _scope_values(self) -> MatchingFile:
        """Each scope follow-up names one of the finder's own values (``svbot scope --type`` and so on)."""
        from bot.scope import ARRANGEMENTS, BODIES, TYPES, VAT_CHOICES

        choices = {"type": TYPES, "body": BODIES, "vat": VAT_CHOICES, "arrangement": ARRANGEMENTS}
        for name, values in self.scope_followups.items():
            wrong = [v for v in values if v not in choices[name]]
            if wrong:
                raise ValueError(
                    f"scope_followups.{name}: {', '.join(wrong)} is not a value the scope finder takes "
                    f"(use one of {', '.join(choices[name])})"
                )
        return self


class ContractFile(_Strict):
    required_ids: list[EntryId]


StepId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]

# What Slack can show (api.slack.com/reference/block-kit): the reasons form offers a step's
# options as radio buttons (at most 10); step and option ids travel as option values (at
# most 150 characters); the parent message's "go to a step" menu lists at most 100 steps.
SLACK_MAX_OPTIONS = 10
SLACK_MAX_VALUE = 150
SLACK_MAX_STEPS = 100


def _slack_id(kind: str, value: str) -> str:
    if len(value) > SLACK_MAX_VALUE:
        raise ValueError(
            f"{kind} id is {len(value)} characters; Slack refuses values over {SLACK_MAX_VALUE}, use a shorter id"
        )
    return value


class StepOption(_Strict):
    id: StepId
    label: Text
    negative: bool = False

    @model_validator(mode="after")
    def _fits_slack(self) -> StepOption:
        _slack_id("option", self.id)
        return self


class ChecklistStep(_Strict):
    id: StepId
    title: Text
    question: Text
    help: Text
    duty: Text
    options: list[StepOption] = Field(min_length=1)
    cite: list[EntryId] = []
    hints: list[Text] = Field(min_length=1)
    negative_cite: list[EntryId] = []
    sign_off: bool = False

    @model_validator(mode="after")
    def _unique_options(self) -> ChecklistStep:
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"step '{self.id}' repeats an option id")
        _slack_id("step", self.id)
        if len(ids) > SLACK_MAX_OPTIONS:
            raise ValueError(
                f"step '{self.id}' has {len(ids)} options; Slack's reasons form shows at most "
                f"{SLACK_MAX_OPTIONS} (radio buttons), so split the step or merge options"
            )
        return self


class StepConflict(_Strict):
    """Two steps' answers that cannot both stand, and why (shown to the team when refused)."""

    answers: dict[StepId, StepId] = Field(min_length=2, max_length=2)
    why: Text


class NoteRule(_Strict):
    """What a dispute's note and a decision maker's resolving note need: a reason, not a nod.

    A note needs ``min_words`` words of substance: words that are not ``filler_words`` and
    not inside one of the ``non_answers`` ("agreed", "as above", "n/a"), matched on whole
    words, case-insensitively.
    """

    min_words: int = Field(default=3, ge=1)
    non_answers: list[Text] = []
    filler_words: list[Text] = []


class ChecklistFile(_Strict):
    title: Text
    steps: list[ChecklistStep] = Field(min_length=1)
    conflicts: list[StepConflict] = []
    notes: NoteRule = NoteRule()

    @model_validator(mode="after")
    def _unique_steps(self) -> ChecklistFile:
        ids = [s.id for s in self.steps]
        if len(ids) != len(set(ids)):
            raise ValueError("two steps share an id")
        if len(ids) > SLACK_MAX_STEPS:
            raise ValueError(f"{len(ids)} steps; Slack's step menu lists at most {SLACK_MAX_STEPS}")
        # The steps and options a conflict names are checked by the loader (``conflict_findings``),
        # which can say the conflict's own line.
        return self

    def conflict_problems(self) -> list[tuple[int, str, str]]:
        """(conflict index, step id, why) for each step or option a ``conflicts:`` entry names that is not there."""
        options = {s.id: {o.id for o in s.options} for s in self.steps}
        problems = []
        for i, conflict in enumerate(self.conflicts):
            for step_id, option in conflict.answers.items():
                if step_id not in options:
                    problems.append((i, step_id, f"a conflict names step '{step_id}', which is not a step"))
                elif option not in options[step_id]:
                    problems.append(
                        (i, step_id, f"a conflict names option '{option}', which step '{step_id}' does not offer")
                    )
        return problems


ElementId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
# A cue is a phrase matched on whole words, case-insensitively. A word ending in '*'
# matches any ending ("apprentic*"); '~' stands for up to three words in between
# ("below ~ threshold"); '{money}', '{date}', '{period}', '{duration}' and '{month}' match
# a sum, a date, a spoken time ("next month", "in the spring"), a length ("12-month") and
# a month's name.
Cue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^~]+(~[^~]+)*$")]


class CheckerFile(_Strict):
    """Rules of the reasons checker, tunable by admins."""

    boilerplate: list[Text] = Field(min_length=1)
    boilerplate_cutoff: float = Field(ge=50, le=100)
    copied_question_cutoff: float = Field(default=0, ge=0, le=100)
    generic_words: list[str] = []
    filler_words: list[str] = []
    min_words: int = Field(ge=1)
    max_unanchored_words: int = Field(ge=5)
    accept_on_substance: int = Field(default=0, ge=0)
    moot_min_substance: int = Field(default=0, ge=0)
    named_min_words: int = Field(default=0, ge=0)
    min_beside_dismissal: int = Field(default=0, ge=0)
    max_repetition: float = Field(gt=0, le=1)
    min_letter_ratio: float = Field(ge=0, le=1)
    max_chars: int = Field(ge=100)
    theme_words: list[str] = []
    theme_steps: list[str] = []
    min_beyond_themes: int = Field(default=0, ge=0)
    dismissals: list[Cue] = []
    references: list[Cue] = []
    framework_names: list[Cue] = []
    plans_named: list[Cue] = []
    empty_numbers: list[Cue] = []
    policy_speak: list[Cue] = []
    own_urgency: list[Cue] = []
    fixed_dates: list[Cue] = []
    earlier_procurement: list[Cue] = []
    earlier_grounds: list[Cue] = []
    earlier_grounds_lifted: list[Cue] = []
    unexplained: list[Cue] = []
    restated_law: list[Cue] = []
    hedges: list[Cue] = []
    overclaims: list[Cue] = []
    overclaims_lifted: list[Cue] = []
    credentials: list[Cue] = []
    credentials_checked: list[Cue] = []
    credentials_steps: list[str] = []  # empty: every step
    restating_words: list[str] = []
    default_question: Text = "What about this procurement decided it?"
    # The trained second opinion (checker_model.yaml): 0 turns each way of overruling the rules off.
    model_veto: float = Field(default=0, ge=0, lt=1)
    model_rescue: float = Field(default=0, ge=0, lt=1)
    # The stack (checker_model.yaml's stack:) instead: refuse an acceptance from its P(tick-box)
    # model_stack_veto, accept a refusal from its P(justified) model_stack_rescue.
    model_stack_veto: float = Field(default=0, ge=0, lt=1)
    model_stack_rescue: float = Field(default=0, ge=0, lt=1)

    @field_validator("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue")
    @classmethod
    def _a_confident_call(cls, threshold: float) -> float:
        if 0 < threshold < 0.5:
            raise ValueError("a model threshold is 0 (off) or a probability from 0.5 to just under 1")
        return threshold

    @model_validator(mode="after")
    def _one_way_to_overrule(self) -> CheckerFile:
        if (self.model_stack_veto or self.model_stack_rescue) and (self.model_veto or self.model_rescue):
            raise ValueError(
                "the stack (model_stack_veto, model_stack_rescue) replaces the words' veto and rescue: "
                "set model_veto and model_rescue to 0, or both stack thresholds to 0"
            )
        return self

    @property
    def stacked(self) -> bool:
        """Whether the stack, not the words alone, may overrule the rules."""
        return bool(self.model_stack_veto or self.model_stack_rescue)


# The families of feature checker_model.yaml may read, by the prefix of their features'
# names (bot/checklist/model.py says what each is). None names a rule or an element.
FEATURE_FAMILIES = {
    "words": "w:",
    "pairs": "b:",
    "chars": "c:",
    "negative-words": "n:",
    "step-words": "s:",
    "shape": "shape:",
    "option": "option:",
}
FEATURE_KINDS = tuple(FEATURE_FAMILIES.values())
# What the stack of checker_model.yaml reads, by prefix: the rules' verdict (accepted or
# refused, a refusal soft or hard), a refusal's primary problem, each rule that fired, and the
# words model's log-odds where the rules accepted and where they refused (STACK_WORDS).
STACK_KINDS = ("verdict:", "problem:", "rule:", "words:")
STACK_WORDS = ("words:if-accepted", "words:if-refused")
# What a model file that names no families was trained on (the first model, 2026-12-02).
FIRST_FAMILIES = ("words", "pairs", "shape", "option")


@functools.lru_cache(maxsize=4)
def parse_weights(table: str, kinds: tuple[str, ...] = FEATURE_KINDS) -> dict[str, float]:
    """The weights table of checker_model.yaml: one ``WEIGHT FEATURE`` a line.

    Raises ValueError naming the first row that is not a finite weight and a
    feature of a known kind, or a feature listed twice. Validating the file reads
    the table; the checker's first check then finds it read (the dict is shared:
    never change it).
    """
    weights: dict[str, float] = {}
    for number, row in enumerate(table.splitlines(), 1):
        if not row.strip():
            continue
        weight, _, feature = row.strip().partition(" ")
        feature = feature.strip()
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(f"row {number} ({row.strip()!r}): write a weight, a space, then the feature") from None
        if not math.isfinite(value):
            raise ValueError(f"row {number} ({row.strip()!r}): the weight is not a finite number")
        if not feature.startswith(kinds) or feature.endswith(":"):
            raise ValueError(f"row {number} ({row.strip()!r}): a feature starts with one of {', '.join(kinds)}")
        if feature.startswith("words:") and feature not in STACK_WORDS:
            raise ValueError(f"row {number} ({row.strip()!r}): the words' log-odds are {' or '.join(STACK_WORDS)}")
        if feature in weights:
            raise ValueError(f"row {number}: the feature {feature!r} is listed twice")
        weights[feature] = value
    if not weights:
        raise ValueError("the weights table is empty")
    return weights


class StackFile(_Strict):
    """The stack of checker_model.yaml: the rules' verdict and the words model's log-odds weighed together.

    Trained only on sets the rules were never tuned on (``trained_on``), where their
    verdict is honest; ``weights`` as the words model's, of the kinds ``STACK_KINDS``.
    checker.yaml's ``model_stack_veto`` and ``model_stack_rescue`` say when it overrules the rules.
    """

    model: Text
    trained_on: list[Text] = Field(min_length=1)
    reasons: int = Field(ge=1)
    cross_validated: dict[Text, float | dict[Text, float]] = {}
    intercept: float = Field(allow_inf_nan=False)
    weights: str

    @field_validator("weights")
    @classmethod
    def _a_table(cls, table: str) -> str:
        parse_weights(table, STACK_KINDS)
        return table


class CheckerModelFile(_Strict):
    """The reasons checker's trained second opinion, written by bench/train_checker.py.

    ``features`` names the families of feature it reads (``FEATURE_FAMILIES``);
    ``weights`` is a table, one ``WEIGHT FEATURE`` a line, heaviest first
    (positive: towards a tick-box), each feature of one of those families.
    checker.yaml's ``model_veto`` and ``model_rescue`` say when it may overrule the rules.
    """

    model: Text
    trained: dt.date
    trained_on: list[Text] = Field(min_length=1)
    reasons: int = Field(ge=1)
    cross_validated: dict[Text, float | dict[Text, float]] = {}
    features: list[Text] = Field(default=list(FIRST_FAMILIES), min_length=1)
    intercept: float = Field(allow_inf_nan=False)
    weights: str
    # STEP/OPTION: the element a veto asks for when the rules found every element (the one the
    # tick-boxes for that option most often lack); justification.yaml's first needed otherwise.
    veto_asks: dict[Text, Text] = {}
    stack: StackFile | None = None

    @field_validator("features")
    @classmethod
    def _known_families(cls, families: list[str]) -> list[str]:
        unknown = [f for f in families if f not in FEATURE_FAMILIES]
        if unknown:
            raise ValueError(f"unknown feature families {unknown}: choose from {', '.join(FEATURE_FAMILIES)}")
        return families

    @field_validator("weights")
    @classmethod
    def _a_table(cls, table: str, info: ValidationInfo) -> str:
        parse_weights(table)
        read = tuple(FEATURE_FAMILIES[f] for f in info.data.get("features", ()))
        for number, row in enumerate(table.splitlines(), 1):
            feature = row.strip().partition(" ")[2].strip()
            if read and feature and not feature.startswith(read):
                raise ValueError(f"row {number} ({row.strip()!r}): its family is not in features, so it is never read")
        return table


class ClaimRule(_Strict):
    """A kind of claim with a primary publisher, recognised by how its sources are titled."""

    kind: Text
    primary: list[Text] = Field(min_length=1)
    patterns: list[Text] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
        return patterns


class SourcesFile(_Strict):
    """Which publishers are primary, for ``kb check``'s source rules.

    A domain matches that host with or without ``www.``; written with a leading
    dot (``.parliament.uk``) it also matches every subdomain.
    """

    primary_domains: list[Text] = Field(min_length=1)
    mirrors: list[Text] = []
    own_documents: list[Text] = []
    claims: list[ClaimRule] = []

    @field_validator("own_documents")
    @classmethod
    def _own_compile(cls, patterns: list[str]) -> list[str]:
        return ClaimRule._compiles(patterns)


class Element(_Strict):
    """One thing a justified answer addresses, recognised by its cues."""

    says: Text
    cues: list[Cue] = Field(min_length=1)
    like: list[ElementId] = []  # also recognised by these elements' cues
    # What in the checklist's own record answers this element when the reasons do not:
    # the named decision maker signing it, a revisit date, or a decision taken before
    # the recorded start of the procurement (bot/checklist/checker.py, RECORD_FACTS).
    recorded_by: Literal["decision-maker", "revisit-date", "before-start"] | None = None
    # The fact the option turns on (goods or works, an unforeseeable event, the part of the
    # process used): reasons missing it are never accepted on their substance alone.
    essential: bool = False


class Contradiction(_Strict):
    """Words that undercut the option chosen ("not linked to the contract" for proportionate)."""

    says: Text  # what such reasons admit, in plain words
    ask: Text  # the one question a refusal asks
    cues: list[Cue] = Field(min_length=1)
    unless: list[Cue] = []  # words that lift it ("each lot is below the threshold, but in total...")


class JustifiedOption(_Strict):
    """What reasons for one option must address, and the question asked when a part is missing."""

    needs: list[ElementId] = Field(min_length=1)
    ask: dict[ElementId, Text]
    contradicts: list[Contradiction] = []  # the first that fires explains the refusal
    # A needed element made moot by another found: a constraint that leaves nothing to the
    # authority ("criteria fixed by the framework") leaves nothing to do instead.
    moot: dict[ElementId, list[ElementId]] = {}
    # A needed element named by another's cue: "a scored question on reaching housebound patients"
    # names what the lever secures (checker.yaml's named_min_words).
    named_by: dict[ElementId, ElementId] = {}

    @model_validator(mode="after")
    def _a_question_per_need(self) -> JustifiedOption:
        missing = [n for n in self.needs if n not in self.ask]
        if missing:
            raise ValueError(f"no question under 'ask' for: {', '.join(missing)}")
        return self


class JustificationFile(_Strict):
    """The elements a justified answer addresses, per checklist step and option."""

    elements: dict[ElementId, Element]
    steps: dict[StepId, dict[StepId, JustifiedOption]]

    @model_validator(mode="after")
    def _known_elements(self) -> JustificationFile:
        for name, element in self.elements.items():
            unknown = [e for e in element.like if e not in self.elements]
            if unknown:
                raise ValueError(f"element '{name}' is like unknown element(s): {', '.join(unknown)}")
        for step, options in self.steps.items():
            for option, spec in options.items():
                unknown = [n for n in spec.needs if n not in self.elements]
                if unknown:
                    raise ValueError(f"{step}/{option} needs unknown element(s): {', '.join(unknown)}")
                unknown = [n for n, by in spec.moot.items() for e in [n, *by] if e not in self.elements]
                if unknown or set(spec.moot) - set(spec.needs):
                    raise ValueError(f"{step}/{option} moot names an element it does not know or need: {spec.moot}")
                unknown = [e for pair in spec.named_by.items() for e in pair if e not in spec.needs]
                if unknown:
                    raise ValueError(f"{step}/{option} named_by names an element it does not need: {spec.named_by}")
        return self


# The scope finder (knowledge/scope.yaml) ------------------------------------------------------

ContractType = Literal["services", "goods", "works", "light-touch", "any"]


class ScopeRule(_Strict):
    text: Text
    source: Source


class ScopeAct(_Strict):
    title: Text
    source: Source
    thresholds: dict[str, dict[ContractType, FactId]]
    rules: dict[str, ScopeRule]


class ScopeDuty(_Strict):
    id: Text
    title: Text
    source: Source
    entry: EntryId | None = None
    thresholds: dict[ContractType, FactId] = {}
    # Thresholds by the class of authority ("central", "sub-central"), where the figure depends on it.
    thresholds_by_body: dict[str, dict[ContractType, FactId]] = {}
    # A date fact: the duty applies only to procurements starting on or after its value.
    in_force: FactId | None = None
    # Whom the duty binds, where that is not every body in its nation, and the source that says so.
    bodies: ScopeRule | None = None
    # Contracts the duty leaves out even above its threshold, and the source that says so.
    excluded: ScopeRule | None = None


class ScopeLightTouch(_Strict):
    """Words in what a team says it buys that suggest a light-touch service, so the finder asks."""

    cues: list[Text] = Field(min_length=1)
    source: Source


class ScopePolicy(_Strict):
    """The authority's own social value policy, where an admin configured one."""

    title: Text
    applies_from: float = Field(ge=0)
    types: list[Literal["services", "goods", "works", "light-touch", "mixed"]] = Field(min_length=1)
    source: Source


class ScopeFlagPhrases(_Strict):
    """The phrases that say a yes/no input of the finder is so (``said``) or is not (``denied``)."""

    said: list[Text] = Field(min_length=1)
    denied: list[Text] = []


class ScopeFollowups(_Strict):
    """What a follow-up to a scope check may also say, beside matching.yaml's ``scope_followups``
    (type, body, VAT, arrangement): that it is health care, that the body is a UK one, and the
    services share of a mixed contract ("services are 70% of it")."""

    health_care: ScopeFlagPhrases
    uk_body: ScopeFlagPhrases
    # The words that name each kind in a share ("70% *services*", "*goods* are 30%").
    share_kinds: dict[Literal["services", "goods", "works"], list[Text]] = Field(min_length=1)
    # A message without a follow-up cue opening with one of these asks ("is it a framework?").
    asks: list[str] = []
    # Words such a follow-up may also use ("*we're* a UK body", "services *are* 70% *of it*").
    fillers: list[str] = []


class ScopeFile(_Strict):
    act: ScopeAct
    vat_rate_fact: FactId
    duties: list[ScopeDuty]
    light_touch: ScopeLightTouch | None = None
    policy: ScopePolicy | None = None
    followups: ScopeFollowups | None = None
