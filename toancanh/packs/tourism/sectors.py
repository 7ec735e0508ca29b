from toancanh.packs.api import Sector

SECTORS = [Sector("tourism", "Du lịch", "Tourism", order=90)]
