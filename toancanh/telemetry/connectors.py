"""File drops of station loggers: a folder where loggers (or an FTP server) leave CSV or Excel exports.

A pull connector on the platform's base (:mod:`toancanh.core.connectors`): each run takes the files in
the folder, ingests their readings through :func:`~toancanh.telemetry.services.ingest_readings`, and
moves each file to ``done/`` (or ``refused/`` when it cannot be read), so a file is read once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from toancanh.core.connectors import Connector, ConnectorError, Outcome
from toancanh.core.errors import ServiceError


class FileDropConfig(BaseModel):
    folder: str = Field(min_length=1, max_length=500, description="the folder loggers drop files in")
    pattern: str = Field("*", max_length=60, description="which files (a glob: *.csv)")


class ReadingsFileDrop(Connector):
    Config = FileDropConfig
    mode = "pull"

    def fetch(self) -> list[dict[str, Any]]:
        from toancanh.telemetry.files import read_table

        folder = Path(self.config.folder)
        if not folder.is_dir():
            raise ConnectorError(f"no folder {folder}", permanent=True)
        records: list[dict[str, Any]] = []
        for path in sorted(folder.glob(self.config.pattern)):
            if not path.is_file() or path.suffix.lower() not in (".csv", ".xlsx", ".txt"):
                continue
            try:
                rows = read_table(path.name, path.read_bytes())
            except ServiceError as exc:
                records.append({"file": path.name, "error": exc.message})
                self._move(path, "refused")
                continue
            records.extend(rows)
            self._move(path, "done")
        return records

    @staticmethod
    def _move(path: Path, where: str) -> None:
        target = path.parent / where
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)

    def store(self, records: list[Any]) -> Outcome:
        from toancanh.telemetry.services import ingest_readings

        outcome = Outcome()
        readings = []
        for r in records:
            if isinstance(r, dict) and "error" in r and "file" in r:
                outcome.refuse(r["file"], r["error"])
            else:
                readings.append(r)
        name = self.instance.name if self.instance is not None else "file-drop"
        result = ingest_readings(readings, source=name, health=False)
        outcome.accepted += result.accepted
        for ref in result.refused:
            outcome.refuse(f"{ref.row}: {ref.station}", ref.message)
        return outcome
