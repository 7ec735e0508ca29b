"""Public warnings as OASIS Common Alerting Protocol 1.2 messages, and an Atom feed of them.

CAP 1.2 (OASIS Standard, 1 July 2010): one ``alert`` with an ``info`` block per language — here
Vietnamese (vi-VN) and English (en-US) — and, in each, the areas: a description, the polygons of
the units' boundaries (``lat,lon`` pairs, first and last the same) and their GSO codes as
geocodes that name their code list: ``VN-GSO-2025`` for the GSO codes of the units in force
since the 2025 reform (``VN-GSO-2008`` for the former list), as codes were reused by the reform
("20779" may name another commune than before), and ``VN-TOANCANH-UNIT`` for the unit's key
(``vn34-c20779``), which never changes meaning. An Update or a Cancel is its own message
whose ``references`` list the earlier ones as ``sender,identifier,sent``. Times carry their offset and no fractions (``2026-11-21T08:00:00+07:00``), as the
standard's dateTime rule asks. Built with lxml (BSD).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from lxml import etree
from shapely.geometry import shape

from toancanh.operations.models import MessageType, PublicWarning
from toancanh.units.models import Boundary, Unit

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The unit's GSO code (mã đơn vị hành chính, Tổng cục Thống kê), named with its code list edition.
GEOCODE_NAMES = {"vn34": "VN-GSO-2025", "vn63": "VN-GSO-2008"}
UNIT_KEY_GEOCODE = "VN-TOANCANH-UNIT"
SENDER = "toancanh@ioc.gov.vn"
MAX_POINTS = 400  # keep polygons light enough for receivers and sirens' gateways


def cap_time(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def _polygons(unit: Unit) -> list[str]:
    boundary = Boundary.objects.filter(unit=unit).first()
    if boundary is None:
        return []
    geom = shape(boundary.display)
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        ring = poly.exterior
        tolerance = 0.001
        while len(ring.coords) > MAX_POINTS:
            ring = poly.simplify(tolerance, preserve_topology=True).exterior
            tolerance *= 2
        coords = list(ring.coords)
        if len(coords) >= 4:
            out.append(_ring(coords))
    return out


def _ring(coords) -> str:
    return " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat, *_z in coords)


def _drawn_area(info, drawn: dict, units: list[Unit], language: str) -> None:
    """One area: the polygon drawn on the map, with the units it lies in as its geocodes."""
    names = ", ".join(u.name for u in units)
    area = _sub(info, "area")
    _sub(
        area, "areaDesc", f"Vùng vẽ trên bản đồ, thuộc {names}" if language == "vi-VN" else f"Area drawn within {names}"
    )
    geom = shape(drawn)
    for poly in getattr(geom, "geoms", [geom]):
        _sub(area, "polygon", _ring(poly.exterior.coords))
    for unit in units:
        _geocodes(area, unit)


def _geocodes(area, unit: Unit) -> None:
    geocode = _sub(area, "geocode")
    _sub(geocode, "valueName", GEOCODE_NAMES.get(unit.edition, f"VN-GSO-{unit.edition}"))
    _sub(geocode, "value", unit.code)
    geocode = _sub(area, "geocode")
    _sub(geocode, "valueName", UNIT_KEY_GEOCODE)
    _sub(geocode, "value", unit.key)


def _sub(parent, tag: str, text: str | None = None):
    el = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        el.text = text
    return el


def cap_message(warning: PublicWarning, sender: str = SENDER) -> bytes:
    """The warning as a CAP 1.2 XML document."""
    from toancanh.operations.warnings import chain

    alert = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _sub(alert, "identifier", warning.identifier)
    _sub(alert, "sender", sender)
    _sub(alert, "sent", cap_time(warning.sent_at or warning.created_at))
    _sub(alert, "status", "Actual")
    _sub(alert, "msgType", warning.msg_type or MessageType.ALERT)
    _sub(alert, "scope", "Public")
    earlier = chain(warning)
    if earlier:
        _sub(alert, "references", " ".join(f"{sender},{w.identifier},{cap_time(w.sent_at or w.created_at)}"
                                           for w in earlier))  # fmt: skip
    units = list(warning.units.all().order_by("path"))
    texts = [
        ("vi-VN", warning.event, warning.headline, warning.description, warning.instruction),
        ("en-US", warning.event_en, warning.headline_en, warning.description_en, warning.instruction_en),
    ]
    for language, event, headline, description, instruction in texts:
        info = _sub(alert, "info")
        _sub(info, "language", language)
        _sub(info, "category", warning.category)
        _sub(info, "event", event)
        _sub(info, "urgency", warning.urgency)
        _sub(info, "severity", warning.severity)
        _sub(info, "certainty", warning.certainty)
        if warning.onset_at:
            _sub(info, "onset", cap_time(warning.onset_at))
        if warning.expires_at:
            _sub(info, "expires", cap_time(warning.expires_at))
        _sub(
            info,
            "senderName",
            "Trung tâm điều hành thông minh" if language == "vi-VN" else "Intelligent Operations Center",
        )
        _sub(info, "headline", headline)
        _sub(info, "description", description)
        if instruction:
            _sub(info, "instruction", instruction)
        if warning.area:
            _drawn_area(info, warning.area, units, language)
            continue
        for unit in units:
            area = _sub(info, "area")
            _sub(area, "areaDesc", unit.name)
            for polygon in _polygons(unit):
                _sub(area, "polygon", polygon)
            _geocodes(area, unit)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema_errors(document: bytes) -> list[str] | None:
    """What the official OASIS CAP 1.2 schema (``CAP-v1.2.xsd`` in the shared data, when present)
    finds wrong with a message: [] when valid, None when the schema is not at hand."""
    from django.conf import settings

    path = getattr(settings, "SHARED_DATA_DIR", None)
    xsd = path / "CAP-v1.2.xsd" if path else None
    if xsd is None or not xsd.exists():
        return None
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


def atom_feed(warnings: list[PublicWarning], base_url: str) -> bytes:
    """An Atom feed (RFC 4287) of the current warnings, each entry linking to its CAP message."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    etree.SubElement(feed, f"{{{ATOM_NS}}}id").text = f"{base_url}/cap/alerts.atom"
    etree.SubElement(feed, f"{{{ATOM_NS}}}title").text = "Cảnh báo công khai — Trung tâm điều hành thông minh"
    updated = max((w.sent_at for w in warnings if w.sent_at), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    etree.SubElement(feed, f"{{{ATOM_NS}}}updated").text = cap_time(updated)
    author = etree.SubElement(feed, f"{{{ATOM_NS}}}author")
    etree.SubElement(author, f"{{{ATOM_NS}}}name").text = "Toàn Cảnh"
    etree.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=f"{base_url}/cap/alerts.atom")
    for w in warnings:
        entry = etree.SubElement(feed, f"{{{ATOM_NS}}}entry")
        etree.SubElement(entry, f"{{{ATOM_NS}}}id").text = f"urn:toancanh:cap:{w.identifier}"
        etree.SubElement(entry, f"{{{ATOM_NS}}}title").text = w.headline
        etree.SubElement(entry, f"{{{ATOM_NS}}}updated").text = cap_time(w.sent_at or w.created_at)
        etree.SubElement(entry, f"{{{ATOM_NS}}}summary").text = w.description[:500]
        etree.SubElement(entry, f"{{{ATOM_NS}}}link", rel="alternate", type="application/cap+xml",
                         href=f"{base_url}/cap/alerts/{w.identifier}.xml")  # fmt: skip
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
