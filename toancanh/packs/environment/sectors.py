from toancanh.packs.api import Sector

SECTORS = [Sector("environment", "Tài nguyên – môi trường", "Natural resources and environment", order=100)]
