from toancanh.packs.api import Sector

SECTORS = [Sector("cyber", "An toàn thông tin", "Cyber security", order=70)]
