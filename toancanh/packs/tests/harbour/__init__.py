"""A pack that lives only in the test suite ("Cảng cá" — fishing ports): it adds a rule kind, a
sender, a connector, a map layer, a navigation entry, a wall panel, a page and an API route
through ``toancanh.packs.api`` alone, touching no core file. docs/packs.md walks through it."""
