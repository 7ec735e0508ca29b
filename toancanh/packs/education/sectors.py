from toancanh.packs.api import Sector

SECTORS = [Sector("education", "Giáo dục", "Education", order=40)]
