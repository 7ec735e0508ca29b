"""A connector: reads berth counts from a CSV file the port office drops (port,berthed per line)."""

from pathlib import Path

from pydantic import BaseModel, Field

from toancanh.packs.api import Connector, ConnectorError, ConnectorKind, Outcome, Scope, submit_events


class BerthFileConfig(BaseModel):
    model_config = {"extra": "forbid"}
    path: str = Field(..., min_length=1, max_length=500)
    unit: str = Field(..., min_length=1, max_length=40, description="the unit the ports are in")


class BerthFile(Connector):
    Config = BerthFileConfig

    def fetch(self):
        path = Path(self.config.path)
        if not path.exists():
            raise ConnectorError(f"no file at {path}")
        return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def store(self, records):
        outcome = Outcome()
        events = []
        for n, rec in enumerate(records, start=1):
            if len(rec) != 2 or not rec[1].strip().isdigit():
                outcome.refuse(n, "a line must be: port,number of vessels")
                continue
            port, berthed = rec[0].strip(), int(rec[1])
            events.append({"source": "berth-file", "source_id": f"{port}:{self.instance.runs if self.instance else 0}",
                           "sector": "harbour", "type": "berths", "subject": port, "unit": self.config.unit,
                           "occurred_at": self.now(), "payload": {"berthed": berthed}})  # fmt: skip
        report = submit_events(events, scope=Scope(everywhere=True))
        outcome.accepted += report.stored + report.duplicates
        for refusal in report.refused:
            outcome.refuse(refusal["row"], refusal["error"])
        return outcome


CONNECTORS = [ConnectorKind("berth_file", "Tệp số tàu neo đậu", BerthFile)]
