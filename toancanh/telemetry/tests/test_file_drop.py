"""File drops: loggers' CSV and Excel exports in a folder, read once, their readings ingested and the
run counted on the source's health."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from toancanh.core import connectors
from toancanh.core.models import ConnectorInstance
from toancanh.telemetry.models import Reading, RefusalCount
from toancanh.telemetry.tests.factories import station

pytestmark = pytest.mark.django_db


def test_a_folder_of_logger_files_is_read_once_and_counted_on_the_sources_health(tmp_path):
    station("AINGHIA")
    (tmp_path / "AINGHIA_2026-10.csv").write_text(
        "time;t_level;t_rain\n2026-10-12 07:00;8,42;3\n2026-10-12 08:00;99;\n"
    )
    wb = Workbook()
    wb.active.append(["station", "quantity", "time", "value", "unit"])
    wb.active.append(["AINGHIA", "t_level", "2026-10-12T09:00:00+07:00", 8.9, "m"])
    wb.save(tmp_path / "export.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    instance = connectors.save_instance(by=None, name="ftp-ainghia", kind="telemetry.file",
                                        config={"folder": str(tmp_path)}, every_seconds=60)  # fmt: skip
    assert connectors.run_due() == 1
    assert Reading.objects.count() == 3
    health = ConnectorInstance.objects.get(pk=instance.pk)
    assert (health.last_accepted, health.last_refused, health.failures) == (3, 2, 0)
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["AINGHIA_2026-10.csv", "export.xlsx"]
    assert [p.name for p in (tmp_path / "refused").iterdir()] == ["broken.xlsx"]
    assert RefusalCount.objects.get(source="ftp-ainghia").reason == "out_of_range"
    ConnectorInstance.objects.filter(pk=instance.pk).update(next_run_at=None)
    connectors.run_due()
    assert Reading.objects.count() == 3
