from toancanh.packs.api import Sector

SECTORS = [Sector("health", "Y tế", "Health", order=30)]
