from toancanh.packs.api import Sector

SECTORS = [Sector("traffic", "Giao thông", "Traffic", order=60)]
