"""Partitions of the event stream, shared out among the workers by leases in the database.

Events are routed to one of ``PARTITIONS`` partitions by their commune (the unit the API resolved,
from the event's unit or its place), so every key a rule keeps — a station, a commune, a
commune's category — is evaluated in one place and in order. Each worker
announces itself (``worker:<id>`` rows), takes its fair share of the partitions (``ceil(P / live
workers)``), renews its leases while it lives and gives back what is over its share; the
partitions of a worker that died are taken over when its leases expire. Correctness does not
rest on the leases alone: rule states are locked per key while a batch is decided.
"""

from __future__ import annotations

import math
import os
import socket
import uuid
import zlib
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from toancanh.operations.models import PartitionLease

PARTITIONS = int(os.environ.get("TOANCANH_EVENTS_PARTITIONS", "8"))
LEASE_SECONDS = float(os.environ.get("TOANCANH_EVENTS_LEASE_SECONDS", "20"))


def partition_of(row: dict) -> int:
    """The partition of an event: by its unit, else its subject, else its source."""
    key = str(row.get("unit") or row.get("subject") or row.get("source") or "")
    return zlib.crc32(key.encode()) % PARTITIONS


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Leases:
    """One worker's view of its leases."""

    def __init__(self, me: str, partitions: int = PARTITIONS, seconds: float = LEASE_SECONDS):
        self.me, self.partitions, self.seconds = me, partitions, seconds
        self.owned: set[int] = set()

    def _name(self, p: int) -> str:
        return f"events:{p}"

    def rebalance(self) -> set[int]:
        """Renew, give back and take partitions; returns the partitions this worker now owns."""
        now = timezone.now()
        until = now + timedelta(seconds=self.seconds)
        with transaction.atomic():
            PartitionLease.objects.update_or_create(
                name=f"worker:{self.me}", defaults={"owner": self.me, "expires_at": until}
            )
            live = PartitionLease.objects.filter(name__startswith="worker:", expires_at__gt=now).count()
            share = math.ceil(self.partitions / max(live, 1))
            mine = set()
            for name in PartitionLease.objects.filter(owner=self.me, name__startswith="events:").values_list(
                "name", flat=True
            ):
                mine.add(int(name.split(":")[1]))
            PartitionLease.objects.filter(owner=self.me, name__startswith="events:").update(expires_at=until)
            for p in sorted(mine)[share:]:  # over my share: give back
                PartitionLease.objects.filter(name=self._name(p), owner=self.me).update(expires_at=now)
                mine.discard(p)
            for p in range(self.partitions):
                if len(mine) >= share:
                    break
                if p in mine:
                    continue
                PartitionLease.objects.get_or_create(name=self._name(p), defaults={"owner": "", "expires_at": now})
                taken = PartitionLease.objects.filter(Q(expires_at__lte=now) | Q(owner=""), name=self._name(p)).update(
                    owner=self.me, expires_at=until
                )
                if taken:
                    mine.add(p)
        self.owned = mine
        self.share = share
        return mine

    def release(self) -> None:
        now = timezone.now()
        PartitionLease.objects.filter(owner=self.me).update(expires_at=now)
        PartitionLease.objects.filter(name=f"worker:{self.me}").delete()
        self.owned = set()
