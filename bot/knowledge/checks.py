"""``kb check`` rules that keep the knowledge current and well sourced.

Dated facts (review dates, a value in force today), placeholders and figures
typed into prose, primary sources, and glossary variants. Each rule returns
findings that name the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Literal
from urllib.parse import urlsplit

from bot.knowledge.facts import Facts, format_date, format_value, placeholder_problems
from bot.knowledge.findings import Finding
from bot.knowledge.schema import PROSE_FIELDS, Entry, FactsFile, GlossaryFile, ScopeFile, Source, SourcesFile
from bot.yamlio import LoadedYaml, Loc

Severity = Literal["error", "warning"]
# Errors: a typed figure goes stale when facts.yaml changes, and a mirror or our own notes
# stand in for the law itself. The shipped knowledge is clean of both.
TYPED_FIGURE_SEVERITY: Severity = "error"
NON_PRIMARY_SEVERITY: Severity = "error"
# Money figures below this are too common in prose ("£50") to be taken for a fact.
MIN_FIGURE = 1000

Located = tuple[Entry, LoadedYaml, Loc]


# Facts -------------------------------------------------------------------------------------------


def fact_findings(loaded: LoadedYaml, facts_file: FactsFile, today: dt.date) -> list[Finding]:
    """Duplicate fact ids, facts past their review date, facts with no value in force today."""
    findings: list[Finding] = []
    first: dict[str, int] = {}
    facts = Facts(facts_file.facts)
    for i, fact in enumerate(facts_file.facts):
        line = loaded.line_of(("facts", i))
        if fact.id in first:
            message = f"fact id '{fact.id}' is already used at line {first[fact.id]}"
            findings.append(Finding("error", "duplicate-id", loaded.file, line, message))
            continue
        first[fact.id] = line
        if fact.review_by < today:
            message = (
                f"{fact.id}: due for review since {format_date(fact.review_by)}; check it against its "
                "sources, then set a new review_by"
            )
            where = loaded.line_of(("facts", i, "review_by"))
            findings.append(Finding("warning", "review-due", loaded.file, where, message))
        if facts.on(fact.id, today) is None:
            message = f"{fact.id}: no value is in force today ({format_date(today)}); add the current value"
            findings.append(Finding("error", "no-current-value", loaded.file, line, message))
    findings.extend(_small_sum_findings(loaded, facts_file, first, today))
    return findings


# The reasons checker's {small-sum} (``_SMALL_SUM`` in bot/checklist/checker.py) reads a sum under
# this as below every services threshold of the 2012 Act, these facts: change both together.
SMALL_SUM_CEILING = 100_000
SMALL_SUM_THRESHOLDS = (
    "threshold.central.goods-services",
    "threshold.sub-central.goods-services",
    "threshold.welsh.central.goods-services",
    "threshold.welsh.sub-central.goods-services",
)


def _small_sum_findings(
    loaded: LoadedYaml, facts_file: FactsFile, lines: dict[str, int], today: dt.date
) -> Iterator[Finding]:
    """The reasons checker reads a sum under SMALL_SUM_CEILING ("{small-sum}") as below every services
    threshold of the 2012 Act: each of those thresholds, today and from now on, must stay above it."""
    facts = {fact.id: fact for fact in facts_file.facts}
    ceiling = format_value("money", SMALL_SUM_CEILING)
    for fact_id in SMALL_SUM_THRESHOLDS:
        fact = facts.get(fact_id)
        if fact is None:
            message = f"{fact_id}: missing; the reasons checker's {{small-sum}} is checked against it"
            yield Finding("error", "missing-fact", loaded.file, 1, message)
            continue
        for spec in fact.values:
            current = spec.effective_to is None or spec.effective_to >= today
            if current and isinstance(spec.value, int | float) and spec.value <= SMALL_SUM_CEILING:
                message = (
                    f"{fact_id}: {format_value('money', spec.value)} from {format_date(spec.effective_from)} is not "
                    f"above {ceiling}, which the reasons checker's {{small-sum}} reads as below every services "
                    "threshold: lower the {small-sum} pattern in bot/checklist/checker.py and SMALL_SUM_CEILING "
                    "in bot/knowledge/checks.py"
                )
                yield Finding("error", "small-sum-ceiling", loaded.file, lines.get(fact_id, 1), message)


def _prose(entry: Entry, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Each prose text of an entry with its location in the file."""
    for name in PROSE_FIELDS:
        value = getattr(entry, name)
        if isinstance(value, str):
            yield (*loc, name), value
        elif isinstance(value, dict):
            for key, text in value.items():
                yield (*loc, name, key), text


def _typed_figures(facts: Facts) -> list[tuple[re.Pattern[str], list[str]]]:
    """A pattern for each money figure facts.yaml holds, with the ids of the facts holding it."""
    holders: dict[int, list[str]] = {}
    for fact in facts:
        if fact.kind != "money":
            continue
        for spec in fact.values:
            amount = int(spec.value) if float(spec.value).is_integer() else None  # type: ignore[arg-type]
            if amount is not None and amount >= MIN_FIGURE and fact.id not in holders.setdefault(amount, []):
                holders[amount].append(fact.id)
    patterns = []
    for amount, ids in holders.items():
        # £214,904 or £214904, not part of a longer number; round figures also as £5m or £50k.
        forms = [f"{amount:,}".replace(",", ",?") + r"(?![\d,]*\d)"]
        if amount % 1_000_000 == 0:
            forms.append(rf"{amount // 1_000_000}\s?(?:m|mn|million)\b")
        elif amount % 1_000 == 0:
            forms.append(rf"{amount // 1_000}\s?k\b")
        patterns.append((re.compile(rf"£\s?(?:{'|'.join(forms)})", re.IGNORECASE), ids))
    return patterns


def prose_findings(entries: list[Located], facts: Facts) -> list[Finding]:
    """Placeholders that name no fact, and figures typed by hand that facts.yaml holds."""
    findings: list[Finding] = []
    typed = _typed_figures(facts)
    for entry, loaded, loc in entries:
        for where, text in _prose(entry, loc):
            start = loaded.line_of(where)
            for needle, problem in placeholder_problems(text, facts):
                line = loaded.line_containing(needle, start)
                findings.append(Finding("error", "unknown-fact", loaded.file, line, f"{entry.id}: {problem}"))
            for pattern, ids in typed:
                for match in pattern.finditer(text):
                    line = loaded.line_containing(match.group(0), start)
                    use = " or ".join(f"{{{{fact:{i}}}}}" for i in ids[:2])
                    message = f"{entry.id}: {match.group(0)} is typed by hand; facts.yaml holds it: write {use}"
                    findings.append(Finding(TYPED_FIGURE_SEVERITY, "typed-figure", loaded.file, line, message))
    return findings


# Sources -----------------------------------------------------------------------------------------


def _host_matches(host: str, domains: list[str]) -> bool:
    host = host.lower().removeprefix("www.")
    for domain in domains:
        domain = domain.lower()
        if domain.startswith("."):
            if host == domain[1:] or host.endswith(domain):
                return True
        elif host == domain.removeprefix("www."):
            return True
    return False


def _host(source: Source) -> str | None:
    return urlsplit(source.url).hostname if source.url else None


def _label(source: Source) -> str:
    return f"{source.title} | {source.citation or ''}"


def source_findings(entries: list[Located], rules: SourcesFile) -> list[Finding]:
    """Mirrors, the project's own documents, claims cited only from secondary sources."""
    findings: list[Finding] = []
    own = [re.compile(p, re.IGNORECASE) for p in rules.own_documents]
    claims = [(rule, [re.compile(p, re.IGNORECASE) for p in rule.patterns]) for rule in rules.claims]
    for entry, loaded, loc in entries:
        secondary_of_kind: dict[str, list[tuple[int, Source]]] = {}
        primary_kinds: set[str] = set()
        any_primary = False
        for j, source in enumerate(entry.sources):
            host = _host(source)
            line = loaded.line_of((*loc, "sources", j))
            if any(p.search(_label(source)) for p in own):
                message = (
                    f"{entry.id}: '{source.title}' is one of the project's own documents; "
                    "cite the public source it drew on"
                )
                findings.append(Finding(NON_PRIMARY_SEVERITY, "own-document", loaded.file, line, message))
                continue
            if host and _host_matches(host, rules.mirrors):
                message = f"{entry.id}: '{source.title}' links to a copy on {host}; link the original publisher's page"
                findings.append(Finding(NON_PRIMARY_SEVERITY, "mirror", loaded.file, line, message))
                continue
            if host is None or _host_matches(host, rules.primary_domains):
                any_primary = any_primary or host is not None
            for rule, patterns in claims:
                if not any(p.search(_label(source)) for p in patterns):
                    continue
                if host is None or _host_matches(host, rule.primary):
                    # A citation without a link names the document itself.
                    primary_kinds.add(rule.kind)
                    any_primary = True
                else:
                    secondary_of_kind.setdefault(rule.kind, []).append((j, source))
        for kind, cited in secondary_of_kind.items():
            if kind in primary_kinds:
                continue
            rule = next(r for r, _ in claims if r.kind == kind)
            for j, source in cited:
                message = (
                    f"{entry.id}: '{source.title}' is {kind} taken from {_host(source)}; cite it from "
                    f"{' or '.join(d.lstrip('.') for d in rule.primary[:3])} (another site may support, not replace it)"
                )
                line = loaded.line_of((*loc, "sources", j))
                findings.append(Finding(NON_PRIMARY_SEVERITY, "non-primary", loaded.file, line, message))
        if entry.kind == "legal" and entry.sources and not any_primary:
            message = (
                f"{entry.id}: every source is secondary; add the primary source "
                f"({', '.join(d.lstrip('.') for d in rules.primary_domains[:4])}, ...)"
            )
            line = loaded.line_of((*loc, "sources"))
            findings.append(Finding("warning", "all-secondary", loaded.file, line, message))
    return findings


# Glossary ----------------------------------------------------------------------------------------


def glossary_findings(loaded: LoadedYaml, glossary: GlossaryFile) -> list[Finding]:
    """A variant listed under two terms: matching can only send it to one of them."""
    findings: list[Finding] = []
    owner: dict[str, tuple[str, int]] = {}
    for i, term in enumerate(glossary.terms):
        for j, variant in enumerate(term.variants):
            key = " ".join(variant.casefold().split())
            line = loaded.line_of(("terms", i, "variants", j))
            if key in owner and owner[key][0] != term.term:
                other, other_line = owner[key]
                message = (
                    f"variant '{variant}' is listed under '{term.term}' and under '{other}' (line {other_line}); "
                    "keep it under one term"
                )
                findings.append(Finding("warning", "glossary-variant", loaded.file, line, message))
            owner.setdefault(key, (term.term, line))
    return findings


def glossary_fact_findings(loaded: LoadedYaml, glossary: GlossaryFile, facts: Facts) -> list[Finding]:
    """A meaning's figure is a {{fact:ID}} placeholder, as in entries: each must name a fact."""
    findings: list[Finding] = []
    for i, term in enumerate(glossary.terms):
        start = loaded.line_of(("terms", i, "meaning"))
        for needle, problem in placeholder_problems(term.meaning, facts):
            line = loaded.line_containing(needle, start)
            findings.append(
                Finding("error", "unknown-fact", loaded.file, line, f"glossary term '{term.term}': {problem}")
            )
    return findings


def scope_findings(loaded: LoadedYaml, scope: ScopeFile, facts: Facts, entry_ids: set[str]) -> list[Finding]:
    """scope.yaml names facts and entries that exist: a rule comparing with a missing figure decides nothing."""
    findings: list[Finding] = []

    def fact(fact_id: str, loc: Loc) -> None:
        if fact_id not in facts:
            message = f"scope.yaml names fact '{fact_id}', which facts.yaml does not hold"
            findings.append(Finding("error", "unknown-fact", loaded.file, loaded.line_of(loc), message))

    for body, kinds in scope.act.thresholds.items():
        for kind, fact_id in kinds.items():
            fact(fact_id, ("act", "thresholds", body, kind))
    fact(scope.vat_rate_fact, ("vat_rate_fact",))
    for i, duty in enumerate(scope.duties):
        for kind, fact_id in duty.thresholds.items():
            fact(fact_id, ("duties", i, "thresholds", kind))
        for body, kinds in duty.thresholds_by_body.items():
            for kind, fact_id in kinds.items():
                fact(fact_id, ("duties", i, "thresholds_by_body", body, kind))
        if duty.in_force:
            fact(duty.in_force, ("duties", i, "in_force"))
        if duty.entry and duty.entry not in entry_ids:
            message = f"duty '{duty.id}' points to entry '{duty.entry}', which does not exist"
            findings.append(Finding("warning", "unknown-entry", loaded.file, loaded.line_of(("duties", i)), message))
    return findings
