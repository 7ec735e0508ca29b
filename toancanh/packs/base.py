"""``PackConfig``: what makes a Django app a pack. Kept apart from :mod:`toancanh.packs.api` so
that the API module stays a list of names."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from typing import Any

from django.apps import AppConfig

from toancanh.core.registry import DemoBuilder, Routes, declare, registry

# Conventional modules of a pack and the names they export (each a list of declarations).
CONVENTIONAL = {
    "rules": ("RULE_KINDS", "DEFAULT_RULES"),
    "situations": ("SITUATION_TYPES",),
    "senders": ("SENDERS",),
    "connectors": ("CONNECTORS",),
    "layers": ("LAYERS",),
    "nav": ("NAV",),
    "panels": ("PANELS",),
    "permissions": ("PERMISSIONS",),
    "sectors": ("SECTORS",),
}


class PackConfig(AppConfig):
    """Subclass it in your pack's ``apps.py``. At start-up the pack's conventional modules are read
    (``rules.py``: ``RULE_KINDS`` and ``DEFAULT_RULES``, ``situations.py``: ``SITUATION_TYPES``, ``senders.py``: ``SENDERS``, ``connectors.py``: ``CONNECTORS``,
    ``layers.py``: ``LAYERS``, ``nav.py``: ``NAV``, ``panels.py``: ``PANELS``, ``permissions.py``:
    ``PERMISSIONS``, ``sectors.py``: ``SECTORS``, ``indicators.py``: ``INDICATORS`` (catalogue rows),
    ``demo.py``: ``build()``, ``urls.py``: pages under ``/<url_prefix>/``, ``api.py``: ``router`` under
    ``/api/v1/<url_prefix>/``) and everything they declare enters the registry, labelled with the pack."""

    default = False  # PackConfig itself is no app's configuration ...
    url_prefix: str | None = None  # defaults to the app label
    demo_order: int = 100

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)  # ... but each pack's subclass is its app's

    def ready(self) -> None:
        items: list[Any] = []
        for module, attrs in CONVENTIONAL.items():
            found = self._module(module)
            if found is not None:
                for attr in attrs:
                    items.extend(getattr(found, attr, ()))
        demo = self._module("demo")
        if demo is not None and hasattr(demo, "build"):
            items.append(DemoBuilder(self.label, demo.build, self.demo_order))
        urls = self._module("urls")
        api = self._module("api")
        if urls is not None or (api is not None and hasattr(api, "router")):
            router = (lambda api=api: api.router) if api is not None and hasattr(api, "router") else None
            items.append(Routes(self.url_prefix or self.label, urls.__name__ if urls else None, router))
        declare(*(dataclasses.replace(i, pack=self.label) for i in items))
        indicators = self._module("indicators")
        if indicators is not None:
            registry.add_indicators(getattr(indicators, "INDICATORS", ()), self.label)

    def _module(self, name: str):
        dotted = f"{self.name}.{name}"
        if importlib.util.find_spec(dotted) is None:
            return None
        return importlib.import_module(dotted)
