"""Shared setup of the on-the-job training tests."""

import pytest
from django.utils import timezone, translation

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English: a request of an earlier test may have left Turkmen active."""
    with translation.override("en"):
        yield
