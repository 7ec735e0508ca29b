"""The government pack's data sources: one-stop-shop dossiers pushed as JSON by the provincial
one-stop-shop software (``gov_dossiers_push``: ``POST /api/v1/government/dossiers/push`` or the
core's ``/api/v1/connectors/{name}/push``), or dropped as CSV/Excel files (``gov_dossiers_file``).
Both check and store each record the same way (:func:`services.store_dossiers`); refusals and
counts land in the source's health at /connectors/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from toancanh.packs.api import Connector, ConnectorKind
from toancanh.packs.government import documents, events, files, services


class PushConfig(BaseModel):
    model_config = {"extra": "forbid"}
    system: str = Field("", max_length=120, description="the sending system (e.g. the one-stop-shop software)")
    sweep: bool = Field(True, description="after storing, turn overdue dossiers and tasks into events")


def _store(connector, records, default):
    report = services.store_dossiers(records, source=connector.instance.name if connector.instance else default)
    if connector.config.sweep and report.accepted:
        events.sweep()
    return report


class DossierPush(Connector):
    """Dossier records pushed by a one-stop-shop system."""

    Config = PushConfig
    mode = "push"

    def store(self, records):
        return _store(self, records, "push")


class FileConfig(BaseModel):
    model_config = {"extra": "forbid"}
    path: str = Field(..., min_length=1, max_length=500, description="a .csv/.xlsx file or a drop folder")
    sweep: bool = Field(True, description="after storing, turn overdue dossiers and tasks into events")


class DossierFile(Connector):
    """Dossier files dropped in a folder (or one file read again on each run)."""

    Config = FileConfig

    def fetch(self):
        return files.read_drop(self.config.path)

    def store(self, records):
        return _store(self, records, "file")


class DocumentPush(Connector):
    """Document records pushed by a document-management system (see docs/government.md)."""

    Config = PushConfig
    mode = "push"

    def store(self, records):
        return documents.store_documents(records, source=self.instance.name if self.instance else "push")


CONNECTORS = [
    ConnectorKind(
        "gov_documents_push", _("Documents in and out (pushed by a document-management system)"), DocumentPush
    ),
    ConnectorKind(
        "gov_dossiers_push", _("Administrative-procedure dossiers (pushed by the one-stop-shop system)"), DossierPush
    ),
    ConnectorKind("gov_dossiers_file", _("Administrative-procedure dossiers (CSV/Excel file)"), DossierFile),
]
