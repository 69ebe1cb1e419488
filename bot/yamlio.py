"""Safe, line-aware YAML loading for admin-edited files.

Admins edit the knowledge base by hand, so every problem must name the file
and line. Loading is safe (no Python objects), refuses anchors and aliases
(the "billion laughs" expansion bomb needs them), duplicate keys and
oversized or non-UTF-8 files, and records the line of every value so later
schema errors can point at it too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.files import ENCODING_NAMES, bom_encoding

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A problem in a YAML file, located by file and line (1-based)."""

    file: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.problem}"


@dataclass
class LoadedYaml:
    """Parsed data plus the line of every mapping key and sequence item."""

    file: str
    data: Any
    lines: dict[Loc, int]
    text_lines: list[str] = field(default_factory=list, repr=False)

    def line_containing(self, needle: str, start: int = 1) -> int:
        """The first line at or after ``start`` whose text contains ``needle`` (else ``start``)."""
        for number in range(max(start, 1), len(self.text_lines) + 1):
            if needle in self.text_lines[number - 1]:
                return number
        return start

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known location on the path ``loc``."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}")


def looks_like_date(text: object) -> bool:
    """Whether ``text`` is written like a YYYY-MM-DD date (real or not)."""
    return isinstance(text, str) and _DATE.match(text.strip()) is not None


def impossible_date(text: str) -> str:
    """Why a date-shaped value such as 2026-02-30 or 2026-13-01 is not a real date."""
    found = _DATE.match(text)
    if not found:
        return f"{text} is not a date; write YYYY-MM-DD"
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        return f"{text} is not a real date: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{text} is not a real date: {calendar.month_name[month]} {year} has {days} days"


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, except that an impossible date (2026-02-30) stays text instead of crashing.

    The schema then refuses it at its own line (see ``impossible_date``), and the rest of the file loads.
    """

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _too_deep() -> str:
    return f"nested too deeply (more than {MAX_DEPTH} levels); flatten the structure"


def _line(mark: Any) -> int:
    """The 1-based line of a parser mark (the parser always sets one; the stubs allow None)."""
    return mark.line + 1 if mark else 1


def _screen_events(text: str, file: str) -> None:
    """Refuse aliases (what expansion bombs are made of) and absurd nesting before composing.

    libyaml's parser is a state machine, but composing nodes recurses, so a
    deeply nested file could overflow the C stack: check depth on the event
    stream first.
    """
    depth = 0
    events = yaml.parse(text, Loader=_Loader)
    while True:
        try:
            event = next(events)
        except StopIteration:
            return
        except yaml.MarkedYAMLError as exc:
            # Newer libyaml builds refuse deep nesting themselves (their own limit is
            # far above ours): report it in our words, whatever the library's version.
            if "nesting depth" in str(exc.problem):
                raise YamlProblem(file, _line(exc.problem_mark or exc.context_mark), _too_deep()) from None
            raise
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                file,
                _line(event.start_mark),
                "anchors and aliases (*name) are not allowed here; repeat the text instead",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(file, _line(event.start_mark), _too_deep())
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


_INDENT_PROBLEMS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "mapping values are not allowed",
    "expected <block end>",
)


def _in_plain_words(text: str, line: int, problem: str) -> tuple[int, str]:
    """Say what an admin most likely got wrong (tabs, indentation), keeping the library's words.

    Returns the line to report (a tab may sit above where the parser stopped) and the message.
    """
    lines = text.splitlines()
    tabbed = [n for n, t in enumerate(lines[:line], start=1) if "\t" in t[: len(t) - len(t.lstrip())]]
    if tabbed:
        where = line if line in tabbed else tabbed[0]
        return where, f"line {where} is indented with a tab; use spaces ({problem})"
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    if "mapping values are not allowed" in problem and current.lstrip(" -").count(": ") > 1:
        return line, f"line {line} has a second ': ' inside a value; put the value in quotes ({problem})"
    if any(p in problem for p in _INDENT_PROBLEMS):
        return line, (
            f"line {line} is not indented like the lines around it: items of one list or mapping "
            f"start in the same column ({problem})"
        )
    return line, problem


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], file: str) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlProblem(file, line, f"duplicate key '{key}' (first given on line {seen[key]})")
            seen[key] = line
            _index_lines(value_node, (*loc, key), lines, file)
            lines[(*loc, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*loc, i), lines, file)


def parse_yaml(text: str | bytes, file: str = "<text>") -> LoadedYaml:
    """Parse YAML text strictly; raise YamlProblem naming file and line."""
    if isinstance(text, bytes):
        raw = text
        if len(raw) > MAX_FILE_BYTES:
            raise YamlProblem(file, 1, f"file is too large ({len(raw):,} bytes; limit {MAX_FILE_BYTES:,})")
        encoding = bom_encoding(raw) or "utf-8"  # a byte order mark (Notepad's "Unicode") says which
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
            name = ENCODING_NAMES.get(encoding, encoding)
            raise YamlProblem(file, line, f"file is not valid {name}; save it as UTF-8") from None
    if len(text) > MAX_FILE_BYTES:
        raise YamlProblem(file, 1, f"file is too large ({len(text):,} characters)")
    try:
        _screen_events(text, file)
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(p for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
        line, said = _in_plain_words(text, mark.line + 1 if mark else 1, f"YAML syntax: {problem or exc}")
        raise YamlProblem(file, line, said) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(file, None, {(): 1})
        lines: dict[Loc, int] = {}
        _index_lines(node, (), lines, file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlProblem(file, line, f"YAML syntax: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(file, 1, f"YAML syntax: {exc}") from None
    finally:
        loader.dispose()
    return LoadedYaml(file, data, lines, text.splitlines())


def load_yaml(path: Path) -> LoadedYaml:
    """Read and parse one YAML file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(str(path), 1, f"file is too large ({size:,} bytes; limit {MAX_FILE_BYTES:,})")
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(str(path), 1, f"cannot read file: {exc.strerror}") from None
    return parse_yaml(raw, str(path))
