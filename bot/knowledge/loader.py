"""Load and validate the knowledge folder into one immutable snapshot.

A ``KnowledgeBase`` is everything admins edit: entries, glossary, matcher
settings, the checklist and the reasons checker's rules. The bot swaps whole
snapshots, so a broken edit is rejected as a unit and the last good one
keeps serving.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.knowledge.checks import (
    fact_findings,
    glossary_fact_findings,
    glossary_findings,
    prose_findings,
    scope_findings,
    source_findings,
)
from bot.knowledge.facts import Facts
from bot.knowledge.findings import Finding
from bot.knowledge.schema import (
    PROSE_FIELDS,
    CheckerFile,
    CheckerModelFile,
    ChecklistFile,
    ContractFile,
    Entry,
    FactsFile,
    GlossaryFile,
    JustificationFile,
    MatchingFile,
    ScopeFile,
    SourcesFile,
)
from bot.matching.model import MODEL_FILE, MatcherModel, ModelError
from bot.yamlio import LoadedYaml, Loc, YamlProblem, impossible_date, load_yaml, looks_like_date

SPECIAL_FILES: dict[str, type[BaseModel]] = {
    "glossary.yaml": GlossaryFile,
    "matching.yaml": MatchingFile,
    "checklist.yaml": ChecklistFile,
    "checker.yaml": CheckerFile,
    "justification.yaml": JustificationFile,
    "contract.yaml": ContractFile,
    "facts.yaml": FactsFile,
    "sources.yaml": SourcesFile,
    "scope.yaml": ScopeFile,
    "checker_model.yaml": CheckerModelFile,
}
# Special files a knowledge folder may leave out (their checks are then skipped).
OPTIONAL_FILES = {"sources.yaml", "scope.yaml", "checker_model.yaml"}
MAX_FILES = 200


class KnowledgeError(Exception):
    """The knowledge folder has errors; ``findings`` says where."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.severity == "error"]
        shown = "\n".join(str(f) for f in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"the knowledge base has {len(errors)} error(s):\n{shown}{more}")


@dataclass(frozen=True)
class KnowledgeBase:
    """An immutable, validated snapshot of the knowledge folder.

    ``raw_entries`` are the entries as written, ``{{fact:ID}}`` placeholders and
    all; ``entries`` (and ``get``) are the same entries with the placeholders
    rendered for the day ``on``. ``as_of`` gives the snapshot for another day.
    """

    folder: Path
    raw_entries: tuple[Entry, ...]
    glossary: GlossaryFile
    matching: MatchingFile
    checklist: ChecklistFile
    checker: CheckerFile
    justification: JustificationFile
    fingerprint: str
    facts: Facts = field(default_factory=Facts)
    on: dt.date = field(default_factory=dt.date.today)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    scope: ScopeFile | None = None  # the scope finder's rules; optional
    checker_model: CheckerModelFile | None = None  # the reasons checker's trained second opinion; optional
    entries: tuple[Entry, ...] = field(init=False, repr=False)
    by_id: dict[str, Entry] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        entries = tuple(render_entry(e, self.facts, self.on) for e in self.raw_entries)
        object.__setattr__(self, "entries", entries)
        object.__setattr__(self, "by_id", {e.id: e for e in entries})

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def as_of(self, when: dt.date) -> KnowledgeBase:
        """The same knowledge with its figures rendered for ``when``."""
        return self if when == self.on else replace(self, on=when)


def render_entry(entry: Entry, facts: Facts, when: dt.date) -> Entry:
    """``entry`` with its fact placeholders filled in for ``when``, citing each figure's source too."""
    update: dict[str, Any] = {}
    for name in PROSE_FIELDS:
        value = getattr(entry, name)
        if isinstance(value, str) and "{{" in value:
            update[name] = facts.render(value, when)
        elif isinstance(value, dict) and any("{{" in text for text in value.values()):
            update[name] = {key: facts.render(text, when) for key, text in value.items()}
    if not update:
        return entry
    cited = {s.url or s.citation for s in entry.sources}
    sources = list(entry.sources)
    for fact_id in _fact_ids(entry):
        value = facts.on(fact_id, when)
        if value is not None and (value.source.url or value.source.citation) not in cited:
            cited.add(value.source.url or value.source.citation)
            sources.append(value.source)
    update["sources"] = sources
    return entry.model_copy(update=update)


def _fact_ids(entry: Entry) -> list[str]:
    from bot.knowledge.facts import PLACEHOLDER

    ids: dict[str, None] = {}
    for text in prose_texts(entry):
        ids.update(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))
    return list(ids)


def prose_texts(entry: Entry) -> list[str]:
    """The texts of an entry's prose fields (where placeholders may appear)."""
    texts = []
    for name in PROSE_FIELDS:
        value = getattr(entry, name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            texts.extend(value.values())
    return texts


def _plain_loc(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_TABLE_ROW = re.compile(r"row (\d+)\b")


def _schema_findings(loaded: LoadedYaml, exc: ValidationError, base: Loc = ()) -> list[Finding]:
    findings = []
    for err in exc.errors():
        loc = (*base, *err["loc"])
        where = _plain_loc(loc)
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in ("id", "related"):
            message = "ids look like 'legal.some-topic', 'principle.x' or 'case.x'"
        elif err["type"] == "string_pattern_mismatch" and loc and loc[-1] == "date":
            message = "dates are written YYYY, YYYY-MM or YYYY-MM-DD"
        elif err["type"].startswith("date") and looks_like_date(err.get("input")):
            message = impossible_date(str(err["input"]))
        line = loaded.line_of(loc)
        row = _TABLE_ROW.match(message) if loc and loc[-1] == "weights" else None
        if row:
            line += int(row.group(1))  # checker_model.yaml's weights: a table, its rows below the key
        findings.append(Finding("error", "schema", loaded.file, line, f"{where}: {message}" if where else message))
    return findings


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def fingerprint_folder(folder: Path) -> str:
    """A hash of the folder's YAML files and the matcher's model; changes whenever an admin saves one."""
    return _fingerprint(_watched_files(folder))


def _watched_files(folder: Path) -> list[Path]:
    model = folder / MODEL_FILE
    return [*_yaml_files(folder), *([model] if model.is_file() else [])]


def _basic_key(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def check_folder(folder: Path, today: dt.date | None = None) -> tuple[KnowledgeBase | None, list[Finding]]:
    """Validate every file in ``folder``; return the snapshot (None on errors) and all findings."""
    today = today or dt.date.today()
    findings: list[Finding] = []
    folder_name = str(folder)
    if not folder.is_dir():
        return None, [Finding("error", "missing", folder_name, 1, "knowledge folder not found")]
    paths = _yaml_files(folder)
    if len(paths) > MAX_FILES:
        return None, [Finding("error", "too-many", folder_name, 1, f"more than {MAX_FILES} YAML files")]
    for stray in sorted(folder.glob("*.yml")):
        findings.append(Finding("warning", "ignored", str(stray), 1, "ignored: knowledge files end in .yaml"))

    specials: dict[str, tuple[LoadedYaml, BaseModel]] = {}
    entries: list[tuple[Entry, LoadedYaml, Loc]] = []
    # Ids of entries refused by the schema: links to them are not reported again as missing.
    invalid: set[str] = set()
    for path in paths:
        try:
            loaded = load_yaml(path)
        except YamlProblem as problem:
            findings.append(Finding("error", "yaml", problem.file, problem.line, problem.problem))
            continue
        model = SPECIAL_FILES.get(path.name)
        if model is not None:
            try:
                specials[path.name] = (loaded, model.model_validate(loaded.data))
            except ValidationError as exc:
                findings.extend(_schema_findings(loaded, exc))
            continue
        findings.extend(_load_entries(loaded, entries, invalid))

    for name in SPECIAL_FILES:
        if name not in specials and name not in OPTIONAL_FILES and not any(f.file.endswith(name) for f in findings):
            findings.append(Finding("error", "missing", str(folder / name), 1, f"{name} is missing"))

    findings.extend(_cross_checks(entries, specials, today, invalid))
    facts = Facts(specials["facts.yaml"][1].facts) if "facts.yaml" in specials else Facts()  # type: ignore[attr-defined]
    if "facts.yaml" in specials:
        findings.extend(fact_findings(*specials["facts.yaml"], today))  # type: ignore[arg-type]
        # Without a readable facts.yaml every placeholder would be reported too; its absence is the one problem.
        findings.extend(prose_findings(entries, facts))
    if "sources.yaml" in specials:
        findings.extend(source_findings(entries, specials["sources.yaml"][1]))  # type: ignore[arg-type]
    if "glossary.yaml" in specials:
        findings.extend(glossary_findings(*specials["glossary.yaml"]))  # type: ignore[arg-type]
        if "facts.yaml" in specials:
            findings.extend(glossary_fact_findings(*specials["glossary.yaml"], facts))  # type: ignore[arg-type]
    if "checker.yaml" in specials:
        findings.extend(_model_findings(folder, specials))
    if "scope.yaml" in specials and "facts.yaml" in specials:
        ids = {e.id for e, _, _ in entries}
        findings.extend(scope_findings(*specials["scope.yaml"], facts, ids))  # type: ignore[arg-type]
    findings.extend(matcher_model_findings(folder, [e for e, _, _ in entries]))
    if any(f.severity == "error" for f in findings):
        return None, findings
    kb = KnowledgeBase(
        folder=folder,
        raw_entries=tuple(e for e, _, _ in entries),
        glossary=specials["glossary.yaml"][1],  # type: ignore[arg-type]
        matching=specials["matching.yaml"][1],  # type: ignore[arg-type]
        checklist=specials["checklist.yaml"][1],  # type: ignore[arg-type]
        checker=specials["checker.yaml"][1],  # type: ignore[arg-type]
        justification=specials["justification.yaml"][1],  # type: ignore[arg-type]
        scope=specials["scope.yaml"][1] if "scope.yaml" in specials else None,  # type: ignore[arg-type]
        checker_model=specials["checker_model.yaml"][1] if "checker_model.yaml" in specials else None,  # type: ignore[arg-type]
        fingerprint=_fingerprint(_watched_files(folder)),
        facts=facts,
        on=today,
        locations={e.id: (loaded.file, loaded.line_of(loc)) for e, loaded, loc in entries},
    )
    return kb, findings


def matcher_model_findings(folder: Path, entries: list[Entry]) -> list[Finding]:
    """The matcher's trained model, when there is one, is readable and was trained on these entries:
    otherwise the matcher ranks by its rules alone (warnings, not errors: svbot still answers)."""
    file = str(folder / MODEL_FILE)
    try:
        model = MatcherModel.load(folder)
    except ModelError as problem:
        return [Finding("warning", "model", file, 1, f"{problem}; the matcher ranks by its rules alone until then")]
    stale = model.stale_entries(entries) if model else []
    if not stale:
        return []
    shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
    return [
        Finding(
            "warning",
            "model-stale",
            file,
            1,
            f"the matcher's model was trained before entries changed ({shown}): the matcher ranks by its "
            "rules alone until it is trained again with bench/train_matcher.py",
        )
    ]


def _model_findings(folder: Path, specials: dict[str, tuple[LoadedYaml, BaseModel]]) -> list[Finding]:
    """checker.yaml's model thresholds need the trained model (and its stack) they apply to."""
    loaded, checker = specials["checker.yaml"]
    names = ("model_veto", "model_rescue", "model_stack_veto", "model_stack_rescue")
    thresholds = [name for name in names if getattr(checker, name)]
    if "checker_model.yaml" not in specials:
        if (folder / "checker_model.yaml").exists():
            return []  # already reported as broken
        return [
            Finding(
                "error",
                "missing",
                loaded.file,
                loaded.line_of((name,)),
                f"{name} is set but checker_model.yaml is missing: train it with bench/train_checker.py, "
                f"or set {name}: 0",
            )
            for name in thresholds
        ]
    model_yaml, model = specials["checker_model.yaml"]
    findings: list[Finding] = []
    if model.stack is None:  # type: ignore[attr-defined]
        findings.extend(
            Finding(
                "error",
                "missing",
                loaded.file,
                loaded.line_of((name,)),
                f"{name} is set but checker_model.yaml has no stack: train one with bench/train_checker.py, "
                f"or set {name}: 0",
            )
            for name in thresholds
            if name.startswith("model_stack")
        )
    if "justification.yaml" in specials and "checklist.yaml" in specials:
        steps = specials["justification.yaml"][1].steps  # type: ignore[attr-defined]
        options = {f"{s.id}/{o.id}" for s in specials["checklist.yaml"][1].steps for o in s.options}  # type: ignore[attr-defined]
        for key, element in model.veto_asks.items():  # type: ignore[attr-defined]
            step, _, option = key.partition("/")
            needs = steps.get(step, {}).get(option)
            if key not in options:
                why = "no such step and option in checklist.yaml"
            elif needs is not None and element not in needs.needs:
                why = f"{element} is not one it needs in justification.yaml"
            else:
                continue  # an option without elements is judged on substance: nothing to ask for
            findings.append(
                Finding(
                    "error",
                    "unknown",
                    model_yaml.file,
                    model_yaml.line_of(("veto_asks", key)),
                    f"veto_asks: {key}: {why}",
                )
            )
    return findings


def _load_entries(loaded: LoadedYaml, out: list[tuple[Entry, LoadedYaml, Loc]], invalid: set[str]) -> list[Finding]:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return [Finding("error", "schema", loaded.file, 1, "an entries file needs a top-level 'entries:' list")]
    extra = sorted(set(data) - {"entries"})
    findings = [
        Finding("error", "schema", loaded.file, loaded.line_of((key,)), f"unknown top-level key '{key}'")
        for key in extra
    ]
    for i, item in enumerate(data["entries"]):
        loc: Loc = ("entries", i)
        try:
            out.append((Entry.model_validate(item), loaded, loc))
        except ValidationError as exc:
            label = item.get("id") if isinstance(item, dict) else None
            if isinstance(label, str):
                invalid.add(label)
            for finding in _schema_findings(loaded, exc, loc):
                message = f"{label}: {finding.message}" if label else finding.message
                findings.append(Finding("error", "schema", finding.file, finding.line, message))
    return findings


def _cross_checks(
    entries: list[tuple[Entry, LoadedYaml, Loc]],
    specials: dict[str, tuple[LoadedYaml, BaseModel]],
    today: dt.date,
    invalid: set[str],
) -> list[Finding]:
    findings: list[Finding] = []
    first: dict[str, tuple[str, int]] = {}
    for entry, loaded, loc in entries:
        line = loaded.line_of(loc)
        if entry.id in first:
            file, first_line = first[entry.id]
            findings.append(
                Finding(
                    "error",
                    "duplicate-id",
                    loaded.file,
                    line,
                    f"id '{entry.id}' is already used at {file}:{first_line}",
                )
            )
        else:
            first[entry.id] = (loaded.file, line)

    seen_questions: dict[str, tuple[str, str, int]] = {}
    for entry, loaded, loc in entries:
        line = loaded.line_of(loc)
        if not entry.sources:
            findings.append(Finding("error", "no-sources", loaded.file, line, f"{entry.id}: entry has no sources"))
        if entry.last_reviewed > today:
            findings.append(
                Finding(
                    "warning",
                    "reviewed-in-future",
                    loaded.file,
                    loaded.line_of((*loc, "last_reviewed")),
                    f"{entry.id}: last_reviewed {entry.last_reviewed.isoformat()} is in the future; "
                    "it should be the day someone checked the entry against its sources",
                )
            )
        if entry.review_by < today:
            findings.append(
                Finding(
                    "warning",
                    "review-due",
                    loaded.file,
                    loaded.line_of((*loc, "review_by")),
                    f"{entry.id}: past its review date ({entry.review_by.isoformat()})",
                )
            )
        for j, related in enumerate(entry.related):
            where = loaded.line_of((*loc, "related", j))
            if related not in first and related not in invalid:
                findings.append(
                    Finding(
                        "error",
                        "broken-related",
                        loaded.file,
                        where,
                        f"{entry.id}: related id '{related}' does not exist",
                    )
                )
            elif related == entry.id:
                findings.append(
                    Finding("warning", "self-related", loaded.file, where, f"{entry.id}: lists itself as related")
                )
        for j, question in enumerate(entry.questions):
            key = _basic_key(question)
            where = loaded.line_of((*loc, "questions", j))
            other = seen_questions.get(key)
            if other and other[0] != entry.id:
                findings.append(
                    Finding(
                        "error",
                        "duplicate-question",
                        loaded.file,
                        where,
                        f"{entry.id}: example question also given for {other[0]} ({other[1]}:{other[2]}): {question!r}",
                    )
                )
            seen_questions.setdefault(key, (entry.id, loaded.file, where))

    # Entry ids named by the special files: each must be an entry that exists.
    for file_name, list_name, says in (
        ("contract.yaml", "required_ids", "required entry '{}' does not exist"),
        ("matching.yaml", "value_question_entries", "value_question_entries: entry '{}' does not exist"),
    ):
        named_in = specials.get(file_name)
        if named_in:
            loaded, model = named_in
            for i, named in enumerate(getattr(model, list_name)):
                if named not in first and named not in invalid:
                    where = loaded.line_of((list_name, i))
                    findings.append(Finding("error", "missing-id", loaded.file, where, says.format(named)))
    checklist = specials.get("checklist.yaml")
    if checklist:
        loaded, model = checklist
        for i, step_id, problem in model.conflict_problems():  # type: ignore[attr-defined]
            where = loaded.line_of(("conflicts", i, "answers", step_id))
            findings.append(Finding("error", "unknown-option", loaded.file, where, problem))
        for i, step in enumerate(model.steps):  # type: ignore[attr-defined]
            for field_name in ("cite", "negative_cite"):
                for j, cited in enumerate(getattr(step, field_name)):
                    if cited not in first and cited not in invalid:
                        findings.append(
                            Finding(
                                "error",
                                "broken-related",
                                loaded.file,
                                loaded.line_of(("steps", i, field_name, j)),
                                f"step '{step.id}' cites '{cited}', which does not exist",
                            )
                        )
    justification = specials.get("justification.yaml")
    if checklist and justification:
        findings.extend(_justification_matches_checklist(checklist[1], justification))  # type: ignore[arg-type]
    return findings


def _justification_matches_checklist(
    checklist: ChecklistFile, justification: tuple[LoadedYaml, JustificationFile]
) -> list[Finding]:
    """Every step and option in justification.yaml exists; every checklist option is covered."""
    loaded, model = justification
    options = {s.id: {o.id for o in s.options} for s in checklist.steps}
    findings = []
    for step, covered in model.steps.items():
        for option in covered:
            if option not in options.get(step, set()):
                findings.append(
                    Finding(
                        "error",
                        "unknown-option",
                        loaded.file,
                        loaded.line_of(("steps", step, option)),
                        f"'{step}/{option}' is not a step and option of checklist.yaml",
                    )
                )
    for step, ids in options.items():
        for option in sorted(ids - set(model.steps.get(step, {}))):
            findings.append(
                Finding(
                    "warning",
                    "no-elements",
                    loaded.file,
                    1,
                    f"'{step}/{option}' has no elements in this file: its reasons are judged on substance alone",
                )
            )
    return findings


def load_knowledge(folder: Path, today: dt.date | None = None) -> KnowledgeBase:
    """Load a snapshot (figures rendered for ``today``) or raise ``KnowledgeError`` listing every error."""
    kb, findings = check_folder(folder, today)
    if kb is None:
        raise KnowledgeError(findings)
    return kb
