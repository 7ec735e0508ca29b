from toancanh.packs.api import Sector

SECTORS = [Sector("government", "Chính quyền số – hành chính công", "Government performance", order=20)]
