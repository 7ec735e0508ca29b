"""Who am I; users and API keys (administrators, within their scope)."""

from django.db.models import Prefetch
from ninja import Router, Status
from ninja.pagination import paginate

from toancanh.accounts import services
from toancanh.accounts.models import ApiKey, User
from toancanh.accounts.roles import APIKEYS_MANAGE, USERS_MANAGE, USERS_VIEW
from toancanh.accounts.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, MeRead, UserCreate, UserRead
from toancanh.core.http import Page, principal, require, scope
from toancanh.core.models import Sector
from toancanh.core.schemas import Id
from toancanh.core.scoping import get_visible_or_404

router = Router(tags=["accounts"])
_sectors = Prefetch("sectors", queryset=Sector.objects.only("code"))


@router.get("/me", response=MeRead, summary="Who is calling, with role, scope and permissions")
def me(request):
    return principal(request)


def _users():
    return User.objects.select_related("unit", "agency").prefetch_related(_sectors)


@router.get("/users", response=list[UserRead], summary="Staff accounts within your scope")
@paginate(Page)
def list_users(request, q: str | None = None, role: str | None = None):
    p = require(request, USERS_VIEW)
    qs = _users().managed_by(p).filter(kind="staff")
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(full_name__icontains=q)
    return qs.order_by("username")


@router.get("/users/{user_id}", response=UserRead, summary="One staff account")
def get_user(request, user_id: Id):
    p = require(request, USERS_VIEW)
    return get_visible_or_404(_users().managed_by(p).filter(kind="staff"), p, what="user", pk=user_id)


@router.post("/users", response={201: UserRead}, summary="Create a staff account within your scope")
def create_user(request, body: UserCreate):
    p = require(request, USERS_MANAGE)
    user = services.create_staff_user(by=p, scope=scope(request), **body.dict())
    return Status(201, _users().get(pk=user.pk))


def _keys():
    return ApiKey.objects.select_related("unit", "agency").prefetch_related(_sectors)


@router.get("/apikeys", response=list[ApiKeyRead], summary="API keys within your scope")
@paginate(Page)
def list_api_keys(request):
    p = require(request, APIKEYS_MANAGE)
    return _keys().managed_by(p).order_by("name")


@router.post(
    "/apikeys", response={201: ApiKeyCreated}, summary="Create an API key; the key is shown only in this answer"
)
def create_api_key(request, body: ApiKeyCreate):
    p = require(request, APIKEYS_MANAGE)
    key, plain = services.create_api_key(by=p, scope=scope(request), **body.dict())
    key = _keys().get(pk=key.pk)
    key.key = plain
    return Status(201, key)


@router.post("/apikeys/{key_id}/revoke", response=ApiKeyRead, summary="Revoke an API key")
def revoke_api_key(request, key_id: Id):
    p = require(request, APIKEYS_MANAGE)
    key = get_visible_or_404(_keys().managed_by(p), p, what="API key", pk=key_id)
    return services.revoke_api_key(key, by=p)
