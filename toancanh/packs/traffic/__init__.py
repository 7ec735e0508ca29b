"""Giao thông (Traffic): a pack that ships with Toàn Cảnh. It brings road accidents and deaths (the
demo catalogue)."""
