"""The socio-economy part of the demo catalogue: one row per indicator (see docs/packs.md), with how
its made-up history is shaped (``base``, ``growth``, ``season``: twelve monthly factors, ``level``,
``part_of``) and its demo targets (``stretch`` on last year's figure, or the resolution's
``target``). Levels after shared/reference/demo-province-figures.md."""

BUDGET = (0.95, 0.7, 0.85, 1.0, 0.95, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.5)
TRADE = (0.9, 0.75, 1.0, 1.0, 1.02, 1.05, 1.05, 1.06, 1.04, 1.04, 1.02, 1.07)
LUMPY = (0.6, 0.5, 0.9, 1.0, 1.2, 0.8, 1.0, 1.3, 0.9, 1.1, 1.2, 1.5)
RETAIL = (1.25, 1.18, 0.92, 0.94, 0.96, 0.97, 0.98, 0.98, 0.97, 0.99, 1.0, 1.12)
IIP = (0.97, 0.94, 1.01, 1.0, 1.01, 1.01, 1.02, 1.01, 1.0, 1.01, 1.01, 1.01)
CPI = (1.003, 1.006, 1.0, 0.999, 0.999, 1.0, 1.0, 1.0, 1.0, 0.999, 0.999, 1.001)
BUSINESS = (0.7, 0.6, 1.05, 1.0, 1.05, 1.05, 1.1, 1.05, 1.0, 1.1, 1.1, 1.2)
DISBURSEMENT = (0.3, 0.35, 0.6, 0.7, 0.8, 0.9, 1.0, 1.05, 1.15, 1.3, 1.5, 2.3)


INDICATORS = [
    {"code": "GRDP", "name_vi": "Tổng sản phẩm trên địa bàn (GRDP, giá hiện hành)", "name_en": "Gross regional domestic product (current prices)", "measure": "tỷ đồng", "sector": "economy", "period": "quarter", "level": "province", "base": 55500, "growth": 0.11, "source": "Cục Thống kê", "legal": "Nghị định 62/2024/NĐ-CP", "min": 0},
    {"code": "GRDP_GROWTH", "name_vi": "Tốc độ tăng GRDP so với cùng kỳ", "name_en": "GRDP growth on the same period last year", "measure": "%", "sector": "economy", "period": "quarter", "agg": "none", "decimals": 2, "formula": "(GRDP / prev_year(GRDP) - 1) * 100", "min": -100, "target": {"kind": "at_least", "value": 11, "upper": None, "note": "NQ 43/NQ-HĐND 11/12/2025: GRDP tăng từ 11 % trở lên [T9]"}},
    {"code": "POP", "name_vi": "Dân số trung bình", "name_en": "Average population", "measure": "người", "sector": "economy", "period": "year", "level": "commune", "time": "last", "growth": 0.012, "source": "Cục Thống kê", "min": 0},
    {"code": "GRDP_PER_CAPITA", "name_vi": "GRDP bình quân đầu người", "name_en": "GRDP per capita", "measure": "triệu đồng/người", "sector": "economy", "period": "year", "agg": "none", "decimals": 1, "formula": "GRDP / POP * 1000", "min": 0},
    {"code": "BUDGET_REVENUE", "name_vi": "Thu ngân sách nhà nước trên địa bàn", "name_en": "State budget revenue", "measure": "tỷ đồng", "sector": "economy", "period": "month", "level": "commune", "base": 3250, "growth": 0.14, "season": BUDGET, "source": "Kho bạc Nhà nước", "min": 0, "stretch": 1.12},
    {"code": "BUDGET_SPENDING", "name_vi": "Chi ngân sách địa phương", "name_en": "Local budget spending", "measure": "tỷ đồng", "sector": "economy", "period": "month", "level": "province", "direction": "down", "base": 3300, "growth": 0.1, "season": BUDGET, "min": 0},
    {"code": "EXPORT", "name_vi": "Kim ngạch xuất khẩu hàng hóa", "name_en": "Export turnover", "measure": "triệu USD", "sector": "economy", "period": "month", "level": "province", "decimals": 1, "base": 280, "growth": 0.08, "season": TRADE, "min": 0, "stretch": 1.16},
    {"code": "IMPORT", "name_vi": "Kim ngạch nhập khẩu hàng hóa", "name_en": "Import turnover", "measure": "triệu USD", "sector": "economy", "period": "month", "level": "province", "direction": "down", "decimals": 1, "base": 230, "growth": 0.07, "season": TRADE, "min": 0},
    {"code": "FDI", "name_vi": "Vốn đầu tư trực tiếp nước ngoài đăng ký", "name_en": "Registered foreign direct investment", "measure": "triệu USD", "sector": "economy", "period": "month", "level": "province", "decimals": 1, "base": 45, "growth": 0.1, "season": LUMPY, "min": 0, "stretch": 1.3},
    {"code": "RETAIL", "name_vi": "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "name_en": "Retail sales of goods and consumer services", "measure": "tỷ đồng", "sector": "economy", "period": "month", "level": "commune", "decimals": 1, "base": 11500, "growth": 0.18, "season": RETAIL, "min": 0, "stretch": 1.1},
    {"code": "IIP", "name_vi": "Chỉ số sản xuất công nghiệp (IIP)", "name_en": "Index of industrial production", "measure": "%", "sector": "economy", "period": "month", "level": "province", "agg": "avg", "time": "avg", "decimals": 1, "base": 106, "growth": 0.0, "season": IIP, "min": 0},
    {"code": "CPI", "name_vi": "Chỉ số giá tiêu dùng so với cùng kỳ", "name_en": "Consumer price index on the same month last year", "measure": "%", "sector": "economy", "period": "month", "level": "province", "agg": "avg", "time": "avg", "direction": "down", "decimals": 2, "base": 103.4, "growth": 0.0, "season": CPI, "min": 0, "target": {"kind": "range", "value": 103.5, "upper": 104.5, "note": "CPI tăng khoảng 3,5–4,5 % (demo)"}},
    {"code": "NEW_BUSINESSES", "name_vi": "Số doanh nghiệp thành lập mới", "name_en": "New businesses registered", "measure": "doanh nghiệp", "sector": "economy", "period": "month", "level": "commune", "base": 420, "growth": 0.05, "season": BUSINESS, "min": 0},
    {"code": "PUBLIC_INVESTMENT", "name_vi": "Giải ngân vốn đầu tư công", "name_en": "Public investment disbursed", "measure": "tỷ đồng", "sector": "economy", "period": "month", "level": "province", "base": 620, "growth": 0.08, "season": DISBURSEMENT, "min": 0},
    {"code": "POVERTY_RATE", "name_vi": "Tỷ lệ hộ nghèo đa chiều", "name_en": "Multidimensional poverty rate", "measure": "%", "sector": "economy", "period": "year", "level": "commune", "agg": "wavg", "time": "last", "direction": "down", "decimals": 2, "base": 3.2, "growth": -0.15, "weight": "POP", "min": 0, "max": 100},
    {"code": "UNEMPLOYMENT", "name_vi": "Tỷ lệ thất nghiệp khu vực thành thị", "name_en": "Urban unemployment rate", "measure": "%", "sector": "economy", "period": "quarter", "level": "province", "agg": "avg", "time": "avg", "direction": "down", "decimals": 2, "base": 3.4, "growth": -0.02, "min": 0, "max": 100},
]  # fmt: skip
