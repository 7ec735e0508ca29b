"""Du lịch (Tourism): a pack that ships with Toàn Cảnh. It brings visitors, international visitors,
tourism revenue, hotel occupancy (the demo catalogue)."""
