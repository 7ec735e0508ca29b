"""A pytest plugin loaded before Django starts (``-p toancanh.pytest_packs`` in pyproject.toml): it
installs the pack that lives only in the test suite, in the tests and in the servers and workers
they start (which inherit this environment)."""

import os

os.environ.setdefault("TOANCANH_PACKS", "toancanh.packs.tests.harbour")
