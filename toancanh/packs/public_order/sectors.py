from toancanh.packs.api import Sector

SECTORS = [Sector("public-order", "An ninh trật tự", "Public order", order=50)]
