from ninja import Router

from toancanh.packs.tests.harbour.panels import PORTS

router = Router(tags=["harbour"])


@router.get("/ports", auth=None, summary="The fishing ports (test pack)")
def list_ports(request):
    return [{"name": name, "lat": lat, "lon": lon} for name, lat, lon in PORTS]
