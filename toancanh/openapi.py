"""Write the API's OpenAPI document to docs/openapi.json (the snapshot a test compares).

python -m toancanh.openapi
"""

import json
import os
from pathlib import Path

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from toancanh.api import api

    target = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"
    target.write_text(
        json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {target}")
