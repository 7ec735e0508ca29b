"""The core's endpoints: health, sectors, the audit log."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from toancanh.accounts.auth import api_auth
from toancanh.accounts.roles import AUDIT_VIEW
from toancanh.core.health import health
from toancanh.core.http import Page, require
from toancanh.core.models import AuditEntry, Sector
from toancanh.core.schemas import AuditRead, HealthRead, SectorRead

router = Router(tags=["core"])


@router.get("/health", response=HealthRead, auth=None, summary="Version, database and migration state")
def get_health(request):
    return health()


@router.get("/sectors", response=list[SectorRead], auth=None, summary="The sectors (lĩnh vực) the IOC watches")
def list_sectors(request):
    return list(Sector.objects.all())


class AuditFilter(Schema):
    action: str | None = None
    object_type: str | None = None
    since: dt.datetime | None = None


@router.get("/audit", response=list[AuditRead], auth=api_auth, summary="The audit log of writes within your scope")
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
