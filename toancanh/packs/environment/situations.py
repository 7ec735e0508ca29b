"""Situation types of the environment and their standard procedures."""

from toancanh.packs.api import SituationType

SITUATION_TYPES = [
    SituationType("flood", "Ngập lụt, lũ", "environment", (
        ("Xác minh mức nước và khu vực ngập", "Trạm thủy văn, UBND xã", 30),
        ("Thông báo người dân qua loa truyền thanh và Zalo", "UBND xã", 60),
        ("Sơ tán hộ dân vùng trũng", "Ban chỉ huy PCTT&TKCN", 180),
    )),
    SituationType("air-quality", "Ô nhiễm không khí", "environment", (
        ("Kiểm tra số liệu trạm quan trắc", "Sở Nông nghiệp và Môi trường", 60),
        ("Khuyến cáo người dân hạn chế ra ngoài", "Sở Y tế", 120),
    )),
]  # fmt: skip
