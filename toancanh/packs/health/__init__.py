"""Y tế (Health): a pack that ships with Toàn Cảnh. It brings health insurance, hospital beds,
outpatient visits, dengue, vaccination (the demo catalogue)."""
