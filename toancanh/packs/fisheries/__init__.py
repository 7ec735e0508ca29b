"""Thủy sản (Fisheries): a pack that ships with Toàn Cảnh. It brings the fish catch (the demo
catalogue), vessels crossing the fishing boundary (a default rule and its procedure)."""
