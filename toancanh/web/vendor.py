"""Front-end libraries installed from the npm registry (package.json) and served as static files.

Only the files named here are served, under ``/static/vendor/``; nothing loads from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

VENDOR_FILES: dict[str, str] = {
    "vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "vendor/maplibre-gl.js": "maplibre-gl/dist/maplibre-gl-csp.js",
    "vendor/maplibre-gl-csp-worker.js": "maplibre-gl/dist/maplibre-gl-csp-worker.js",
    "vendor/maplibre-gl.css": "maplibre-gl/dist/maplibre-gl.css",
    "vendor/echarts.min.js": "echarts/dist/echarts.min.js",
}


class _OneFileStorage(FileSystemStorage):
    """A storage that exposes one node_modules file under its static name."""

    def __init__(self, source: Path, name: str):
        super().__init__(location=str(source.parent))
        self.source, self.name = source, name

    def path(self, name: str) -> str:
        return str(self.source)

    def open(self, name, mode="rb"):
        return super().open(self.source.name, mode)


class VendorFinder(BaseFinder):
    def _source(self, name: str) -> Path:
        return Path(settings.NODE_MODULES_DIR) / VENDOR_FILES[name]

    def check(self, **kwargs):
        missing = [n for n in VENDOR_FILES if not self._source(n).exists()]
        if missing:
            return [Error(f"front-end files missing: {', '.join(missing)}", hint="run 'npm ci' in the repository")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        if path in VENDOR_FILES and self._source(path).exists():
            found = str(self._source(path))
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in VENDOR_FILES:
            source = self._source(name)
            if source.exists():
                yield name, _OneFileStorage(source, name)
