"""Giáo dục (Education): a pack that ships with Toàn Cảnh. It brings enrolment, schools up to national
standard, pupils (the demo catalogue)."""
