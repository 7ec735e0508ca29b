"""The government pack's part of the demo: the procedures, a year of one-stop-shop dossiers of the
demo province sent through the connector (a push source, ``motcua-demo``: its health shows at
/connectors/), documents through ``vanban-demo``, tasks assigned by the leadership, and the overdue items as events. A modest volume
(``GOVERNMENT_DEMO_DOSSIERS``, default 12,000) keeps ``toancanh demo`` fast; the full year of a
province (1.5 million) is the benchmark's (bench/government.py). Idempotent: the dossiers' codes
and the tasks' are stable, so a second run replaces them with themselves."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.utils import timezone

from toancanh.packs.api import Agency, Unit, push_records
from toancanh.packs.government import events, services, simulate, tasks

SOURCE = "motcua-demo"
DOCUMENTS_SOURCE = "vanban-demo"
DOCUMENTS = 1500
PROVINCE = "vn34-p48"


def build() -> str:
    from django.apps import apps

    ConnectorInstance = apps.get_model("core", "ConnectorInstance")  # the demo only: the core's health row
    services.save_procedures(simulate.procedures(), by=None)
    ConnectorInstance.objects.get_or_create(
        name=SOURCE, defaults={"kind": "gov_dossiers_push", "config": {"sweep": False}}
    )
    province = Unit.objects.filter(key=PROVINCE).first()
    if province is None:
        return "no demo province"
    agencies = dict(Agency.objects.filter(active=True).values_list("code", "unit__key"))
    if not agencies:
        return "no agencies"
    communes = list(Unit.objects.current().filter(level="commune", path__startswith=province.path)
                    .order_by("key").values_list("key", flat=True))  # fmt: skip
    commune_agencies = [(code, key) for code, key in agencies.items() if key != PROVINCE]
    provincial = [code for code, key in agencies.items() if key == PROVINCE]
    places = commune_agencies * 8 + [(provincial[i % len(provincial)], c) for i, c in enumerate(communes)]
    now = timezone.now()
    total = int(getattr(settings, "GOVERNMENT_DEMO_DOSSIERS", 12_000))
    made = stored = 0
    gen = simulate.dossiers(now.year, places, total, now=now, seed=2026)
    while batch := list(itertools.islice(gen, 5000)):
        made += len(batch)
        stored += push_records(SOURCE, batch).accepted
    saved = tasks.save_tasks(simulate.tasks(now.year, sorted(agencies), 60, today=timezone.localdate()), by=None)
    ConnectorInstance.objects.get_or_create(
        name=DOCUMENTS_SOURCE, defaults={"kind": "gov_documents_push", "config": {}}
    )
    docs = push_records(DOCUMENTS_SOURCE, simulate.documents(sorted(agencies), DOCUMENTS, today=timezone.localdate()))
    swept = events.sweep(now)
    return (f"{stored}/{made} dossiers through {SOURCE}, {docs.accepted} documents through {DOCUMENTS_SOURCE}, "
            f"{saved} tasks, {swept['events']} events")  # fmt: skip
