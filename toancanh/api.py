"""The API under /api/v1/: each context's router, in one NinjaAPI with one OpenAPI document."""

from toancanh.accounts.api import router as accounts_router
from toancanh.accounts.auth import api_auth
from toancanh.core.api import router as core_router
from toancanh.core.http import build_api
from toancanh.feedback.api import router as feedback_router
from toancanh.indicators.api import router as indicators_router
from toancanh.operations.api import router as operations_router
from toancanh.reporting.api import router as reporting_router
from toancanh.telemetry.api import router as telemetry_router
from toancanh.units.api import router as units_router

api = build_api(auth=api_auth)  # authentication, set once: public routes say auth=None
api.add_router("/", core_router)
api.add_router("/", units_router)
api.add_router("/", accounts_router)
api.add_router("/", indicators_router)
api.add_router("/", operations_router)
api.add_router("/", reporting_router)
api.add_router("/", feedback_router)
api.add_router("/", telemetry_router)

# Each pack's API router, under its prefix.
from toancanh.core.registry import Routes, registry  # noqa: E402

for _routes in registry.all(Routes):
    if _routes.api_router is not None:
        api.add_router(f"/{_routes.prefix}/", _routes.api_router())
