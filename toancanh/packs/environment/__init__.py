"""Tài nguyên – môi trường (Natural resources and environment): a pack that ships with Toàn Cảnh. It
brings waste collected and forest cover (the demo catalogue), the air-quality and flood (water-level)
alarm rules with their procedures, and silent monitoring stations.

Only the seed of the environment pack: its stations, connectors, layers and pages are built by their
own issue."""
