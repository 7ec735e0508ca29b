"""The core's endpoints: health, sectors, the audit log."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from toancanh.core import connectors
from toancanh.core.health import health
from toancanh.core.http import Page, principal, require
from toancanh.core.models import AuditEntry, ConnectorInstance, Sector
from toancanh.core.permissions import AUDIT_VIEW, CONNECTORS_MANAGE, DATA_SUBMIT
from toancanh.core.registry import MapLayer, registry
from toancanh.core.schemas import (
    AuditRead,
    BoundedStr,
    ConnectorRead,
    HealthRead,
    LayerList,
    PushBody,
    PushRead,
    SaneDatetime,
    SectorRead,
)  # fmt: skip

router = Router(tags=["core"])


@router.get("/health", response=HealthRead, auth=None, summary="Version, database and migration state")
def get_health(request):
    return health()


@router.get("/sectors", response=list[SectorRead], auth=None, summary="The sectors (lĩnh vực) the IOC watches")
def list_sectors(request):
    return list(Sector.objects.all())


class AuditFilter(Schema):
    action: BoundedStr(60) | None = None
    object_type: BoundedStr(60) | None = None
    since: SaneDatetime | None = None


@router.get("/audit", response=list[AuditRead], summary="The audit log of writes within your scope")
@paginate(Page)
def list_audit(request, filters: Query[AuditFilter]):
    p = require(request, AUDIT_VIEW)
    qs = AuditEntry.objects.visible_to(p)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.since:
        qs = qs.filter(at__gte=filters.since)
    return qs


@router.get("/layers", response=LayerList, summary="The map layers you may see (core and packs)")
def list_layers(request):
    p = principal(request)
    items = [
        {"code": layer.code, "label": str(layer.label), "url": layer.url, "sector": layer.sector, "pack": layer.pack,
         "legend": [(str(label), colour) for label, colour in layer.legend], "style": layer.style}
        for layer in registry.all(MapLayer)
        if (not layer.permission or p.permits(layer.permission))
        and (not layer.sector or not p.scope.sectors or layer.sector in p.scope.sectors)
    ]  # fmt: skip
    return {"items": items, "count": len(items)}


@router.get("/connectors", response=list[ConnectorRead], summary="Data sources and their health")
def list_connectors(request):
    require(request, CONNECTORS_MANAGE)
    return list(ConnectorInstance.objects.all())


@router.post("/connectors/{name}/push", response=PushRead,
             summary="Records pushed by a source (each accepted or refused with its reason)")  # fmt: skip
def push_records(request, name: str, body: PushBody):
    require(request, DATA_SUBMIT)
    outcome = connectors.push(name, body.records)
    return {"accepted": outcome.accepted, "refused": outcome.refused}
