import pytest
from django.utils import translation

from lms.trainers import delivery


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: a request of an earlier test may have left Turkmen active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _provider_restored():
    """Tests replace the delivery provider (cascade registers the real one): put it back afterwards."""
    previous = delivery.provider_set(None)
    delivery.provider_set(previous)
    yield
    delivery.provider_set(previous)
