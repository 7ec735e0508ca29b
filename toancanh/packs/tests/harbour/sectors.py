from toancanh.packs.api import Sector

SECTORS = [Sector("harbour", "Cảng cá", "Fishing ports")]
