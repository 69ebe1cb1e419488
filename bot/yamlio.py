"""Safe, line-aware YAML loading for admin-edited files.

Admins edit the knowledge base by hand, so every problem must name the file
and line. Loading is safe (no Python objects), refuses anchors and aliases
(the "billion laughs" expansion bomb needs them), duplicate keys and
oversized or non-UTF-8 files, and records the line of every value so later
schema errors can point at it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known location on the path ``loc``."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise YamlProblem(file, line, "file is not valid UTF-8; save it as UTF-8") from None
    if len(text) > MAX_FILE_BYTES:
        raise YamlProblem(file, 1, f"file is too large ({len(text):,} characters)")
    try:
        _screen_events(text, file)
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(p for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
        raise YamlProblem(file, mark.line + 1 if mark else 1, f"YAML syntax: {problem or exc}") from None
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
    return LoadedYaml(file, data, lines)


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
