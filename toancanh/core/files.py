"""What a file is, from its content (its first bytes), never from the type its sender declared."""

from __future__ import annotations

MAGIC: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"%PDF-", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),  # Office Open XML files (.xlsx, .docx) are zip archives
]
BINARY = "application/octet-stream"
OFFICE = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def sniff(content: bytes) -> str:
    """The type the content shows: an image, a PDF, a zip archive, UTF-8 text without NUL bytes,
    or ``application/octet-stream`` for anything else."""
    for magic, offset, kind in MAGIC:
        if content[offset : offset + len(magic)] == magic:
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if b"\x00" in content:
        return BINARY
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(content) - 3:  # not merely a character cut at the end of a sample
            return BINARY
    return "text/plain"


def type_of_upload(name: str, content: bytes) -> str:
    """The content type to record for an uploaded file: what its content is; Office files by
    their extension once the content shows a zip archive."""
    kind = sniff(content)
    if kind == "application/zip":
        ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return OFFICE.get(ext, BINARY)
    if kind == "text/plain" and name.lower().endswith(".csv"):
        return "text/csv"
    return kind
