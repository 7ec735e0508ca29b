"""The default sectors (lĩnh vực) an IOC watches, after the IOC service list in the national
guidance (shared/reference/ioc-services.md). Seeded by a migration; packs may add more."""

DEFAULT_SECTORS: list[tuple[str, str, str]] = [
    ("economy", "Kinh tế – xã hội", "Socio-economy"),
    ("government", "Chính quyền số – hành chính công", "Government performance"),
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education"),
    ("public-order", "An ninh trật tự", "Public order"),
    ("traffic", "Giao thông", "Traffic"),
    ("cyber", "An toàn thông tin", "Cyber security"),
    ("fisheries", "Thủy sản", "Fisheries"),
    ("tourism", "Du lịch", "Tourism"),
    ("environment", "Tài nguyên – môi trường", "Natural resources and environment"),
    ("feedback", "Phản ánh hiện trường", "Citizen reports"),
]


def resolve_sectors(codes):
    """The Sector rows for the given codes; an unknown code is a ServiceError that names it."""
    from toancanh.core.errors import ServiceError
    from toancanh.core.models import Sector

    codes = sorted(set(codes))
    found = {s.code: s for s in Sector.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(f"unknown sector(s): {', '.join(unknown)}")
    return [found[c] for c in codes]
