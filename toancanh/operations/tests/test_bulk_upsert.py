"""Rule states are upserted one statement per chunk: new rows inserted, known ones updated."""

import pytest

from toancanh.core.sql import upsert_many


@pytest.mark.django_db(transaction=True)
def test_upserting_in_chunks_inserts_new_rows_and_updates_known_ones():
    from toancanh.operations.models import PartitionLease

    now = "2026-11-23 00:00:00"
    PartitionLease.objects.create(name="a", owner="old", expires_at="2026-11-22T00:00:00Z")
    rows = [(f"{c}", "new", now) for c in "abcde"]
    assert upsert_many("operations_partitionlease", ["name", "owner", "expires_at"], rows, unique=["name"],
                       update=["owner"], chunk=2) == 5  # fmt: skip
    assert dict(PartitionLease.objects.values_list("name", "owner")) == dict.fromkeys("abcde", "new")
