"""Text piped in is read as its author saved it, a line at a time as it arrives."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest

from bot.files import bom_encoding, text_lines
from bot.problems import Problem


class Typing:
    """A pipe a person types into: each line is there only once the one before it has been read."""

    def __init__(self, *lines: bytes):
        self.lines = iter(lines)
        self.taken = 0

    def readline(self) -> bytes:
        self.taken += 1
        return next(self.lines, b"")

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        self.taken += 1
        return next(self.lines)

    def read(self) -> bytes:
        raise AssertionError("a typed pipe is never read to its end in one go")


def test_typed_lines_are_read_one_at_a_time() -> None:
    pipe = Typing(b"living wage\n", "caf\u00e9\r\n".encode("cp1252"), b"quit\n")
    lines = text_lines(pipe)  # type: ignore[arg-type]
    assert next(lines) == "living wage" and pipe.taken == 1
    assert next(lines) == "café" and pipe.taken == 2
    assert list(lines) == ["quit"]


@pytest.mark.parametrize(
    ("mark", "encoding"),
    [
        (codecs.BOM_UTF32_LE, "utf-32"),  # begins with the UTF-16 little-endian mark: tried first
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (b"", None),
    ],
)
def test_the_byte_order_mark_names_the_encoding(mark: bytes, encoding: str | None) -> None:
    assert bom_encoding(mark + b"living wage") == encoding


def test_zero_bytes_are_refused_not_guessed() -> None:
    with pytest.raises(Problem) as caught:
        list(text_lines(Typing("living wage\n".encode("utf-16-be"))))  # type: ignore[arg-type]
    assert caught.value.code == "input_no_bom"
