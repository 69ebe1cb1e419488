"""The decision record's export formats and file names.

Kept light (no other svbot imports) so the command line can build its options
without loading the checklist engine.
"""

from __future__ import annotations

from pathlib import Path

TEXT_FORMATS = ("md", "json", "csv", "html")
# Binary formats are files, never printed: callers write ChecklistService.export_bytes.
BINARY_FORMATS = ("docx",)
EXPORT_FORMATS = TEXT_FORMATS + BINARY_FORMATS


def record_file_name(checklist_id: str, fmt: str) -> str:
    """The file name a record is offered under (uploads, examples in messages)."""
    return f"social-value-record-{checklist_id}.{fmt}"


def format_for(path: str | Path, default: str) -> str:
    """The export format a file name asks for by its extension (``record.docx``), else ``default``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in EXPORT_FORMATS else default
