from toancanh.packs.api import Sector

SECTORS = [Sector("fisheries", "Thủy sản", "Fisheries", order=80)]
