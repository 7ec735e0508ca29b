"""Sector packs: Django apps under ``toancanh/packs/<name>/`` that add to the core through
:mod:`toancanh.packs.api` only (see docs/packs.md)."""
