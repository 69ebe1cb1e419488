"""Files a person names on the command line or in the chat: exports and backups.

Paths are taken as a person types them (``~`` expanded), and every mistake
(a folder, a mistyped folder, no permission) becomes one clear Problem.
"""

from __future__ import annotations

from pathlib import Path

from bot.problems import USAGE, Problem

SQLITE_HEADER = b"SQLite format 3\x00"


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
