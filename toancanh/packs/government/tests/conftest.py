import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """The services' messages are read in English here (the API test reads them in Vietnamese, as
    a signed-in user does)."""
    with translation.override("en"):
        yield
