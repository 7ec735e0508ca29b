"""Sectors (lĩnh vực): each sector pack declares its own (``toancanh/packs/<sector>/sectors.py``);
the core declares only that of citizen reports, a context of the core. Rows are created at
``migrate`` from the registry."""

from toancanh.core.registry import SectorDecl

BUILT_IN = (SectorDecl("feedback", "Phản ánh hiện trường", "Citizen reports", order=110),)


def resolve_sectors(codes):
    """The Sector rows for the given codes; an unknown code is a ServiceError that names it."""
    from django.utils.translation import gettext

    from toancanh.core.errors import ServiceError
    from toancanh.core.models import Sector

    codes = sorted(set(codes))
    found = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(gettext("unknown sector(s): %(sectors)s") % {"sectors": ", ".join(unknown)})
    return [found[c] for c in codes]
