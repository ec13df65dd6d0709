import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: a request of an earlier test may have left Turkmen active."""
    with translation.override("en"):
        yield
