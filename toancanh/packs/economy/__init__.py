"""Kinh tế – xã hội (Socio-economy): a pack that ships with Toàn Cảnh. It brings the province's
socio-economic statistics (GRDP, budget, trade, investment, prices, labour), the demo catalogue's core,
and the budget-revenue off-target rule of the demo."""
