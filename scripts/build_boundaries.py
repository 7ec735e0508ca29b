"""Rebuild the province boundaries shipped in toancanh/units/data/ from the full-resolution files.

.venv/bin/python scripts/build_boundaries.py [../shared/data]
"""

import sys
from pathlib import Path

from toancanh.units.boundary_files import build

source = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
for name, size in build(source).items():
    print(f"{name}: {size / 1000:.0f} kB")
