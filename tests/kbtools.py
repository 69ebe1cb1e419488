"""Helpers for tests that edit a copy of the knowledge folder."""

from __future__ import annotations

from pathlib import Path


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` with ``new`` in a file, failing loudly if ``old`` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, start: int = 1) -> int:
    """The 1-based number of the first line at or after ``start`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not found in {path}")


def set_line(path: Path, prefix: str, new: str | None, after: str | None = None) -> int:
    """Replace (or, with ``new=None``, delete) the first line starting with ``prefix``.

    With ``after``, the search starts at the first line containing that text, e.g. an entry's
    ``- id: ...`` line, so edits find their target however the shipped wording changes.
    Returns the 1-based number of the line.
    """
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    begin = line_of(path, after) if after else 1
    for number, line in enumerate(lines, start=1):
        if number >= begin and line.startswith(prefix):
            lines[number - 1 : number] = [] if new is None else [new + "\n"]
            path.write_text("".join(lines), encoding="utf-8")
            return number
    raise AssertionError(f"no line starting {prefix!r} in {path}")
