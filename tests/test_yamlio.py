"""Strict YAML loading: every problem names its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from limits import parse_limited

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.yamlio import MAX_DEPTH, MAX_FILE_BYTES, YamlProblem, load_yaml, parse_yaml


def problem_of(text: str | bytes, file: str = "kb.yaml") -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text, file)
    return caught.value


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*lol{i - 1}"] * 9)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_good_document_keeps_data_and_lines() -> None:
    loaded = parse_yaml("title: x\nitems:\n  - a\n  - b: 1\n", "ok.yaml")
    assert loaded.data == {"title": "x", "items": ["a", {"b": 1}]}
    assert loaded.line_of(("items", 1, "b")) == 4
    assert loaded.line_of(("items", 0)) == 3
    # A location the file does not have falls back to its deepest known parent.
    assert loaded.line_of(("items", 1, "missing")) == 4


def test_empty_document_is_none() -> None:
    assert parse_yaml("# only a comment\n", "empty.yaml").data is None


def test_syntax_error_names_file_and_line() -> None:
    problem = problem_of("title: fine\nitems: [1, 2\nnext: 3\n", "knowledge/legal-9.yaml")
    assert problem.file == "knowledge/legal-9.yaml"
    assert problem.line == 3
    assert "YAML syntax" in problem.problem
    assert str(problem).startswith("knowledge/legal-9.yaml:3: ")


def test_bad_indentation_is_reported_on_its_line() -> None:
    problem = problem_of("a: 1\nb: 2\n  c: 3\n")
    assert problem.line == 3


def test_tab_indentation_is_a_syntax_error() -> None:
    problem = problem_of("a:\n\t- 1\n")
    assert problem.line == 2


def test_duplicate_key_names_both_lines() -> None:
    text = "id: one\ntitle: first\nbody: x\ntitle: second\n"
    problem = problem_of(text)
    assert problem.line == 4
    assert "duplicate key 'title'" in problem.problem
    assert "line 2" in problem.problem


def test_duplicate_key_in_nested_mapping() -> None:
    text = textwrap.dedent(
        """\
        entries:
          - id: a
            title: t
          - id: b
            title: t
            id: c
        """
    )
    problem = problem_of(text)
    assert problem.line == 6
    assert "line 4" in problem.problem


def test_alias_is_refused() -> None:
    problem = problem_of("a: &x hello\nb: *x\n")
    assert problem.line == 2
    assert "alias" in problem.problem


def test_billion_laughs_is_refused_within_a_memory_and_time_limit() -> None:
    # In a child limited to 1 GB and 10 s: with the alias screening gone, this expands to ~24 GB.
    refused = parse_limited(billion_laughs(), timeout_s=10)
    assert refused == {"line": 2, "problem": refused["problem"]}
    assert "alias" in refused["problem"]


def test_merge_key_alias_is_refused() -> None:
    problem = problem_of("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n")
    assert problem.line == 3


def test_non_utf8_bytes_name_the_line() -> None:
    problem = problem_of(b"a: 1\nb: caf\xe9\n")
    assert problem.line == 2
    assert "UTF-8" in problem.problem


def test_utf8_text_is_fine() -> None:
    assert parse_yaml("name: Café Ynys Môn\n".encode()).data == {"name": "Café Ynys Môn"}


def test_oversize_bytes_refused_before_parsing() -> None:
    problem = problem_of(b"a: " + b"x" * MAX_FILE_BYTES)
    assert problem.line == 1
    assert "too large" in problem.problem


def test_oversize_text_refused() -> None:
    problem = problem_of("a: " + "x" * MAX_FILE_BYTES)
    assert "too large" in problem.problem


def test_oversize_file_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(YamlProblem) as caught:
        load_yaml(path)
    assert caught.value.file == str(path)
    assert "too large" in caught.value.problem


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_yaml(tmp_path / "missing.yaml")
    assert "cannot read" in caught.value.problem


def test_python_tags_are_refused() -> None:
    problem = problem_of("a: !!python/object/apply:os.system ['echo hi']\n")
    assert problem.line == 1


def test_yes_is_parsed_as_a_boolean() -> None:
    # YAML 1.1 reads a bare yes/no as a boolean; the schema must catch it where text is wanted.
    assert parse_yaml("title: yes\n").data == {"title": True}


def nested_block(depth: int) -> str:
    """``depth`` mappings, one inside the other, one key a line."""
    return "".join("  " * i + f"k{i}:\n" for i in range(depth - 1)) + "  " * (depth - 1) + "leaf: 1\n"


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert parse_yaml(nested_block(MAX_DEPTH)).data is not None
    assert parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)).data is not None


def test_deep_nesting_is_refused_on_its_line() -> None:
    problem = problem_of(nested_block(MAX_DEPTH + 5), "deep.yaml")
    assert problem.line == MAX_DEPTH + 1
    assert "nested too deeply" in problem.problem


def test_flow_nesting_is_refused_in_our_words_whatever_libyaml_allows() -> None:
    # Between our limit and libyaml's own (about 1,000 in PyYAML 6.0.4) and far beyond it,
    # the message and the line are ours. Run limited: without the guard, deep nesting recurses.
    for depth in (MAX_DEPTH + 1, 500, 999, 1000, 3000):
        text = "entries:\n  - id: x\n    deep: " + "[" * depth + "]" * depth + "\n"
        assert parse_limited(text, "deep.yaml") == {
            "line": 3,
            "problem": f"nested too deeply (more than {MAX_DEPTH} levels); flatten the structure",
        }, depth


def test_deep_nesting_in_knowledge_is_a_knowledge_error(kb_copy: Path) -> None:
    deep = kb_copy / "deep.yaml"
    deep.write_text("entries: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_copy)
    errors = [f for f in caught.value.findings if f.severity == "error"]
    assert [(f.file, f.line, f.code) for f in errors] == [(str(deep), 1, "yaml")]
    assert "nested too deeply" in str(caught.value)


def test_very_deep_nesting_within_size_limit_does_not_kill_the_process() -> None:
    # Regression: libyaml composes nodes recursively in C, so this used to die with SIGSEGV.
    depth = 50_000
    assert 2 * depth + 3 < MAX_FILE_BYTES
    refused = parse_limited("a: " + "[" * depth + "]" * depth, "deep.yaml")
    assert refused["line"] == 1 and "nested too deeply" in refused["problem"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_text_saved_with_a_byte_order_mark_is_read_in_its_encoding(encoding: str) -> None:
    assert parse_yaml("name: Café Ynys Môn\nlist: [a, b]\n".encode(encoding)).data == {
        "name": "Café Ynys Môn",
        "list": ["a", "b"],
    }
