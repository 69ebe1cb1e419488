"""Files a person names on the command line or in the chat (exports, backups), and text they pipe in.

Paths are taken as a person types them (``~`` expanded), and every mistake
(a folder, a mistyped folder, no permission) becomes one clear Problem. Text is
read in the encoding its author saved it in: a byte order mark says which
(Notepad's and Excel's "Unicode" is UTF-16 with one); without one, UTF-8.
"""

from __future__ import annotations

import codecs
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from bot.problems import USAGE, Problem

SQLITE_HEADER = b"SQLite format 3\x00"
# Longest first: UTF-32's little-endian mark begins with UTF-16's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What a person would call each encoding, for a message.
ENCODING_NAMES = {"utf-32": "UTF-32", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def bom_encoding(data: bytes) -> str | None:
    """The encoding the byte order mark at the start of ``data`` names (the codec drops the mark), if any."""
    return next((encoding for bom, encoding in BYTE_ORDER_MARKS if data.startswith(bom)), None)


def decode_text(data: bytes, encoding: str) -> str:
    """``data`` in ``encoding``; a Problem saying how to save it if it is not text in that encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise Problem("input_not_text", status=USAGE, encoding=ENCODING_NAMES.get(encoding, encoding)) from None


def decode_line(raw: bytes) -> str:
    """A line saved without a byte order mark: UTF-8, or else Windows-1252 (Excel's "£" is byte A3).

    Zero bytes are never text: they are UTF-16 or UTF-32 saved without its mark, refused
    rather than read as garbage.
    """
    if b"\x00" in raw:
        raise Problem("input_no_bom", status=USAGE)
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")  # files joined with `cat` keep their marks
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def cut_short(raw: bytes, utf8: bool) -> bool:
    """Whether ``raw``, the end of a text with no byte order mark, stops in the middle of a UTF-8 character.

    Only the last line can (every other ends in a newline). A lone accented letter at the very
    end of Windows-1252 text ("café", é is byte E9) also looks like the start of a UTF-8
    character, so the text counts as cut short only when it is evidently UTF-8: an earlier
    character of two or more bytes (``utf8``, or in this line), or two bytes of the cut character.
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        at_end = exc.reason == "unexpected end of data" and exc.end == len(raw)
        before = raw[: exc.start]
        return at_end and _is_utf8(before) and (utf8 or not before.isascii() or len(raw) - exc.start > 1)
    return False


def text_lines(stream: BinaryIO) -> Iterator[str]:
    """The lines of ``stream``, without their endings, in the encoding their author saved them in.

    Text with a byte order mark is a saved file, decoded whole; other text is decoded a line
    at a time as it arrives, so a person can type into a pipe and see each answer.
    """
    first = stream.readline()  # no mark contains a newline byte, so the first line holds all of it
    encoding = bom_encoding(first)
    if encoding is None:
        utf8 = False  # whether a character of two or more bytes has shown the text to be UTF-8
        for raw in itertools.chain([first], stream) if first else ():
            if cut_short(raw, utf8):
                raise Problem("input_cut_short", status=USAGE)
            utf8 = utf8 or (not raw.isascii() and _is_utf8(raw))
            yield decode_line(raw).rstrip("\r\n")
        return
    for line in io.StringIO(decode_text(first + stream.read(), encoding)):
        yield line.rstrip("\r\n")


def user_path(raw: str | Path) -> Path:
    """A path as the person meant it: ``~/x.md`` is in their home folder."""
    return Path(raw).expanduser()


def check_writable(path: Path, example_name: str) -> Path:
    """Refuse a folder or a missing folder before anything is written."""
    if path.is_dir():
        raise Problem("output_is_folder", status=USAGE, path=path, example=path / example_name)
    if not path.parent.is_dir():
        raise Problem("output_no_folder", status=USAGE, path=path, folder=path.parent)
    return path


def write_problem(path: Path, exc: OSError) -> Problem:
    """The message for a write that the operating system refused."""
    if isinstance(exc, PermissionError):
        return Problem("output_denied", path=path)
    return Problem("output_failed", path=path, reason=exc.strerror or type(exc).__name__)


def write_text(raw: str | Path, text: str, example_name: str) -> Path:
    """Write ``text`` to the file a person named; return where it went."""
    return write_bytes(raw, text.encode("utf-8"), example_name)


def write_bytes(raw: str | Path, data: bytes, example_name: str) -> Path:
    """Write ``data`` to the file a person named; return where it went."""
    path = check_writable(user_path(raw), example_name)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise write_problem(path, exc) from None
    return path


def backup_target(raw: str | Path, database: Path) -> Path:
    """Where a backup may go: a new file, an empty one, or an earlier backup (never other data)."""
    path = check_writable(user_path(raw), "svbot-backup.db")
    if path.resolve() == database.resolve():
        raise Problem("backup_is_database", status=USAGE)
    if path.exists() and path.stat().st_size and not _is_sqlite(path):
        raise Problem("backup_not_database", status=USAGE, path=path)
    return path


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
