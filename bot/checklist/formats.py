"""The decision record's export formats and file names.

Kept light (no svbot imports but the problems module, itself light) so the command
line can build its options without loading the checklist engine.
"""

from __future__ import annotations

from pathlib import Path

from bot.problems import USAGE, Problem

TEXT_FORMATS = ("md", "json", "csv", "html")
# Binary formats are files, never printed: callers write ChecklistService.export_bytes.
BINARY_FORMATS = ("docx",)
EXPORT_FORMATS = TEXT_FORMATS + BINARY_FORMATS


def record_file_name(checklist_id: str, fmt: str) -> str:
    """The file name a record is offered under (uploads, examples in messages)."""
    return f"social-value-record-{checklist_id}.{fmt}"


# Other spellings of a format's extension.
_SPELLINGS = {"markdown": "md", "htm": "html"}


def format_for(path: str | Path, default: str) -> str:
    """The export format a file name asks for by its extension (``record.docx``), else ``default``.

    A file without an extension takes ``default``. One whose extension names a format svbot
    does not write (``.pdf``, ``.xlsx``, ``.txt``) is refused even beside ``--format``: Markdown
    written into ``record.pdf`` is a file that does not open as what its name says.
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if not suffix or Path(path).is_dir():  # a folder is refused when written to, with a file name to use
        return default
    fmt = _SPELLINGS.get(suffix, suffix)
    if fmt not in EXPORT_FORMATS:
        raise Problem(
            "export_unknown_format",
            status=USAGE,
            path=str(path),
            suffix=suffix,
            formats=EXPORT_FORMATS,
            example=Path(path).with_suffix(f".{default}").name,
        )
    return fmt


def export_format(path: str | Path | None, given: str | None, default: str) -> str:
    """The format to write: ``given`` (``--format``), else the one ``path``'s extension names, else ``default``.

    A ``given`` format that the file's extension contradicts (``--format md -o x.docx``) is refused:
    Markdown written into ``x.docx`` does not open in Word. Problem (a usage error) names both.
    """
    implied = format_for(path, given or default) if path is not None else None
    suffix = Path(path).suffix if path is not None else ""
    if given and implied and suffix and implied != given:
        raise Problem(
            "export_format_mismatch",
            status=USAGE,
            path=str(path),
            given=given,
            implied=implied,
            example=Path(path).with_suffix(f".{given}").name,  # type: ignore[arg-type]
        )
    return given or implied or default
