"""Reading dossier files (CSV or Excel .xlsx, one dossier per row, the national portal's field names
as the header row — docs/government.md) into records for :func:`services.store_dossiers`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from toancanh.packs.api import ConnectorError

SUFFIXES = (".csv", ".xlsx")


def read_bytes(name: str, content: bytes) -> list[dict]:
    """Rows of a .csv (UTF-8, comma or semicolon) or .xlsx file as dicts by the header row."""
    if name.lower().endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ConnectorError(f"{name} is not an Excel (.xlsx) file", permanent=True)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        out = [{h: v for h, v in zip(header, row, strict=False) if h and v is not None} for row in rows if any(row)]
        book.close()
        return out
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConnectorError(f"{name} is not UTF-8 text", permanent=True) from exc
        dialect = ";" if text[:2000].count(";") > text[:2000].count(",") else ","
        return [
            {k.strip(): v for k, v in row.items() if k} for row in csv.DictReader(io.StringIO(text), delimiter=dialect)
        ]
    raise ConnectorError(f"{name}: only .csv and .xlsx files are read", permanent=True)


def read_drop(path: str) -> list[dict]:
    """A file, or every .csv/.xlsx file of a drop folder (then moved into its ``processed/`` folder)."""
    where = Path(path)
    if where.is_file():
        return read_bytes(where.name, where.read_bytes())
    if not where.is_dir():
        raise ConnectorError(f"no file or folder at {where}")
    records: list[dict] = []
    done = where / "processed"
    for file in sorted(p for p in where.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES):
        records.extend(read_bytes(file.name, file.read_bytes()))
        done.mkdir(exist_ok=True)
        file.replace(done / file.name)
    return records
