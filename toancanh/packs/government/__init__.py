"""Chính quyền số – hành chính công (Government performance): a pack that ships with Toàn Cảnh. It
brings administrative dossiers received, settled on time and filed online (the demo catalogue).

Only the seed of the government-performance pack: its own pages, connectors and rules are built by
their own issue."""
