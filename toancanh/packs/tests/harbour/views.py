from django.http import JsonResponse
from django.shortcuts import render

from toancanh.packs.api import staff_page
from toancanh.packs.tests.harbour.panels import PORTS
from toancanh.packs.tests.harbour.permissions import HARBOUR_VIEW


@staff_page(HARBOUR_VIEW)
def ports_page(request):
    return render(request, "harbour/ports.html", {"ports": PORTS})


@staff_page(HARBOUR_VIEW)
def ports_geojson(request):
    features = [{"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}
                for name, lat, lon in PORTS]  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "features": features})
