"""The quantities the environment pack measures (đại lượng quan trắc), as plain data: one dict per
quantity with exactly the keys ``code``, ``name_vi``, ``name_en``, ``unit``, ``min``, ``max`` (the
telemetry registry declares them from this list). ``min`` and ``max`` are the plausible range of
one reading — outside it a reading is refused or flagged, not a regulatory limit.

Units as the decisions write them (shared/reference/environment.md): µg/m³ for every air parameter,
CO included (Decision 1459/QĐ-TCMT); mg/L, MPN/100 mL and µg/L for water (Decision 1460/QĐ-TCMT);
metres for river levels against the alarm levels of Decision 05/2020/QĐ-TTg; millimetres of rain
fallen since the previous reading. The plausible ranges are this project's choice [U]."""

AIR = [
    {
        "code": "pm25",
        "name_vi": "Bụi mịn PM2.5",
        "name_en": "Fine particulate matter PM2.5",
        "unit": "µg/m³",
        "min": 0,
        "max": 1000,
    },
    {
        "code": "pm10",
        "name_vi": "Bụi PM10",
        "name_en": "Particulate matter PM10",
        "unit": "µg/m³",
        "min": 0,
        "max": 2000,
    },
    {"code": "o3", "name_vi": "Ôzôn (O₃)", "name_en": "Ozone (O₃)", "unit": "µg/m³", "min": 0, "max": 2000},
    {
        "code": "co",
        "name_vi": "Cacbon monoxit (CO)",
        "name_en": "Carbon monoxide (CO)",
        "unit": "µg/m³",
        "min": 0,
        "max": 200000,
    },
    {
        "code": "no2",
        "name_vi": "Nitơ đioxit (NO₂)",
        "name_en": "Nitrogen dioxide (NO₂)",
        "unit": "µg/m³",
        "min": 0,
        "max": 5000,
    },
    {
        "code": "so2",
        "name_vi": "Lưu huỳnh đioxit (SO₂)",
        "name_en": "Sulphur dioxide (SO₂)",
        "unit": "µg/m³",
        "min": 0,
        "max": 5000,
    },
]
HYDRO = [
    {"code": "water_level", "name_vi": "Mực nước", "name_en": "Water level", "unit": "m", "min": -10, "max": 60},
    {"code": "rainfall", "name_vi": "Lượng mưa", "name_en": "Rainfall", "unit": "mm", "min": 0, "max": 300},
]
WATER = [
    {"code": "temperature", "name_vi": "Nhiệt độ nước", "name_en": "Water temperature", "unit": "°C", "min": 0, "max": 45},
    {"code": "ph", "name_vi": "pH", "name_en": "pH", "unit": "pH", "min": 0, "max": 14},
    {"code": "do", "name_vi": "Ôxy hòa tan (DO)", "name_en": "Dissolved oxygen (DO)", "unit": "mg/L", "min": 0, "max": 25},
    {"code": "bod5", "name_vi": "Nhu cầu ôxy sinh hóa (BOD₅)", "name_en": "Biochemical oxygen demand (BOD₅)", "unit": "mg/L", "min": 0, "max": 2000},
    {"code": "cod", "name_vi": "Nhu cầu ôxy hóa học (COD)", "name_en": "Chemical oxygen demand (COD)", "unit": "mg/L", "min": 0, "max": 5000},
    {"code": "toc", "name_vi": "Tổng cacbon hữu cơ (TOC)", "name_en": "Total organic carbon (TOC)", "unit": "mg/L", "min": 0, "max": 2000},
    {"code": "n_nh4", "name_vi": "Amoni (N-NH₄⁺)", "name_en": "Ammonium (N-NH₄⁺)", "unit": "mg/L", "min": 0, "max": 200},
    {"code": "n_no3", "name_vi": "Nitrat (N-NO₃⁻)", "name_en": "Nitrate (N-NO₃⁻)", "unit": "mg/L", "min": 0, "max": 500},
    {"code": "n_no2", "name_vi": "Nitrit (N-NO₂⁻)", "name_en": "Nitrite (N-NO₂⁻)", "unit": "mg/L", "min": 0, "max": 50},
    {"code": "p_po4", "name_vi": "Phosphat (P-PO₄³⁻)", "name_en": "Phosphate (P-PO₄³⁻)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "coliform", "name_vi": "Tổng Coliform", "name_en": "Total coliforms", "unit": "MPN/100 mL", "min": 0, "max": 100000000},
    {"code": "e_coli", "name_vi": "E. coli", "name_en": "E. coli", "unit": "MPN/100 mL", "min": 0, "max": 100000000},
    {"code": "as", "name_vi": "Asen (As)", "name_en": "Arsenic (As)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "cd", "name_vi": "Cadimi (Cd)", "name_en": "Cadmium (Cd)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "pb", "name_vi": "Chì (Pb)", "name_en": "Lead (Pb)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "cr6", "name_vi": "Crom VI (Cr⁶⁺)", "name_en": "Hexavalent chromium (Cr⁶⁺)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "cu", "name_vi": "Đồng (Cu)", "name_en": "Copper (Cu)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "zn", "name_vi": "Kẽm (Zn)", "name_en": "Zinc (Zn)", "unit": "mg/L", "min": 0, "max": 100},
    {"code": "hg", "name_vi": "Thủy ngân (Hg)", "name_en": "Mercury (Hg)", "unit": "mg/L", "min": 0, "max": 10},
    {"code": "aldrin", "name_vi": "Aldrin", "name_en": "Aldrin", "unit": "µg/L", "min": 0, "max": 1000},
    {"code": "bhc", "name_vi": "BHC", "name_en": "BHC", "unit": "µg/L", "min": 0, "max": 1000},
    {"code": "dieldrin", "name_vi": "Dieldrin", "name_en": "Dieldrin", "unit": "µg/L", "min": 0, "max": 1000},
    {"code": "ddts", "name_vi": "Tổng DDT", "name_en": "DDTs", "unit": "µg/L", "min": 0, "max": 1000},
    {"code": "heptachlor", "name_vi": "Heptachlor và Heptachlorepoxide", "name_en": "Heptachlor and heptachlor epoxide", "unit": "µg/L", "min": 0, "max": 1000},
]  # fmt: skip

QUANTITIES = [*AIR, *HYDRO, *WATER]
BY_CODE = {q["code"]: q for q in QUANTITIES}
