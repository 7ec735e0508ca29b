"""On PostgreSQL, the raw readings become a table partitioned by month of ``t`` (the other databases keep
the one table): the table of 0001 is replaced (it is empty when this runs after 0001) by a partitioned
one with the same columns and primary key, a DEFAULT partition, and the months around now."""

import datetime as dt

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT 1 FROM telemetry_reading LIMIT 1")
        if cur.fetchone() is not None:
            return  # readings already there: leave the table as it is (partition by hand, see docs/telemetry.md)
        cur.execute("DROP TABLE telemetry_reading")
        cur.execute(
            "CREATE TABLE telemetry_reading (sensor_id bigint NOT NULL, t bigint NOT NULL, "
            "value double precision NOT NULL, quality smallint NOT NULL, PRIMARY KEY (sensor_id, t)) "
            "PARTITION BY RANGE (t)"
        )
        cur.execute("CREATE TABLE telemetry_reading_default PARTITION OF telemetry_reading DEFAULT")
    from toancanh.telemetry.partitions import ensure_months

    today = dt.datetime.now(dt.UTC).date()
    ensure_months(today - dt.timedelta(days=62), today + dt.timedelta(days=93))


class Migration(migrations.Migration):
    dependencies = [("telemetry", "0001_initial")]
    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
