from toancanh.packs.api import Sector

SECTORS = [Sector("economy", "Kinh tế – xã hội", "Socio-economy", order=10)]
