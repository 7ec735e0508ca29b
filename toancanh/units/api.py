"""Units (public reference data) and agencies (scoped) over the API."""

from django.db.models import Prefetch
from ninja import Query, Router, Status
from ninja.pagination import paginate

from toancanh.core.http import Page, require, scope
from toancanh.core.models import Sector
from toancanh.core.schemas import SaneDate
from toancanh.core.scoping import get_visible_or_404
from toancanh.units import geometry, queries, services
from toancanh.units.models import Agency, Boundary, Unit
from toancanh.units.permissions import AGENCIES_MANAGE, AGENCIES_VIEW, UNITS_MANAGE
from toancanh.units.schemas import (
    AgencyCreate,
    AgencyFilter,
    AgencyRead,
    AgencyUpdate,
    BoundaryResult,
    BoundaryWrite,
    UnitDetail,
    UnitFilter,
    UnitRead,
)

router = Router(tags=["units"])


@router.get("/units", response=list[UnitRead], auth=None, summary="Administrative units (public reference data)")
@paginate(Page)
def list_units(request, filters: Query[UnitFilter]):
    qs = Unit.objects.all()
    if not filters.any_time:
        qs = qs.valid_on(filters.valid_at or queries.today())
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.edition:
        qs = qs.filter(edition=filters.edition)
    if filters.code:
        qs = qs.filter(code=filters.code)
    if filters.parent:
        qs = qs.filter(parent=queries.resolve_unit(filters.parent))
    return queries.text_filter(qs, filters.q).order_by("path")


class _With:
    """A model instance seen with extra attributes, for a response schema."""

    def __init__(self, obj, **extra):
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name):
        return getattr(self._obj, name)


def _succession_rows(successions, attr: str) -> list[dict]:
    return [{"unit": getattr(s, attr), "share": s.share, "share_estimated": s.share_estimated} for s in successions]


@router.get(
    "/units/{key}", response=UnitDetail, auth=None, summary="One unit with its place in the tree and its succession"
)
def get_unit(request, key: str):
    unit = queries.resolve_unit(key)
    went, came = queries.successions_of(unit)
    return _With(
        unit,
        ancestors=queries.ancestors(unit),
        children_count=unit.children.count(),
        successors=_succession_rows(went, "new"),
        predecessors=_succession_rows(came, "old"),
        has_boundary=Boundary.objects.filter(unit=unit).exists(),
    )


@router.get(
    "/units/{key}/map",
    response=dict,
    auth=None,
    summary="GeoJSON of a unit's children (boundaries, or approximate cells marked as such)",
)
def get_unit_map(request, key: str, valid_at: SaneDate | None = None):
    unit = queries.resolve_unit(key)
    return geometry.unit_map(unit, valid_at or queries.display_day(unit))


@router.put("/units/{key}/boundary", response=BoundaryResult, summary="Set a unit's boundary")
def put_boundary(request, key: str, body: BoundaryWrite):
    p = require(request, UNITS_MANAGE)
    unit = get_visible_or_404(Unit, p, what="unit", key=key)
    boundary = geometry.set_boundary(unit, body.geometry, by=p, source=body.source)
    from shapely.geometry import shape

    return {"unit": unit.key, "bounds": list(shape(boundary.geometry).bounds)}


def _agencies():
    return Agency.objects.select_related("unit", "parent").prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.only("code"))
    )


@router.get("/agencies", response=list[AgencyRead], summary="Agencies within your scope")
@paginate(Page)
def list_agencies(request, filters: Query[AgencyFilter]):
    p = require(request, AGENCIES_VIEW)
    qs = _agencies().visible_to(p)
    if filters.unit:
        qs = qs.filter(unit__path__startswith=queries.resolve_unit(filters.unit).path)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.sector:
        qs = qs.filter(sectors__code=filters.sector)
    if filters.q:
        qs = qs.search(filters.q)
    return qs.order_by("unit__path", "name")


def _agency_or_404(request, code: str) -> Agency:
    return get_visible_or_404(_agencies(), request.auth, what="agency", code=code)


@router.get("/agencies/{code}", response=AgencyRead, summary="One agency")
def get_agency(request, code: str):
    require(request, AGENCIES_VIEW)
    return _agency_or_404(request, code)


@router.post("/agencies", response={201: AgencyRead}, summary="Register an agency")
def create_agency(request, body: AgencyCreate):
    p = require(request, AGENCIES_MANAGE)
    agency = services.create_agency(by=p, scope=scope(request), **body.dict())
    return Status(201, _agency_or_404(request, agency.code))


@router.patch("/agencies/{code}", response=AgencyRead, summary="Change an agency")
def update_agency(request, code: str, body: AgencyUpdate):
    p = require(request, AGENCIES_MANAGE)
    agency = _agency_or_404(request, code)
    services.update_agency(agency, by=p, scope=scope(request), **body.dict(exclude_unset=True))
    return _agency_or_404(request, code)
