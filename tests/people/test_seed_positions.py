"""The demo's positions (job titles) are written in each person's own language, and a second run changes nothing."""

import pytest

from lms.people.models import Profile
from lms.people.seed import agency_staff_load, demo_people_load, reference_data_load

pytestmark = pytest.mark.django_db


def test_demo_positions_are_in_the_persons_language_and_the_seed_is_idempotent():
    reference_data_load()
    demo_people_load(password="demo-pass-1")
    agency_staff_load()
    positions = dict(Profile.objects.filter(user__username__in=["trainer", "trainer.mia", "manager"]).values_list(
        "user__username", "position"
    ))
    assert positions == {
        "trainer": "Uly prokuror",
        "trainer.mia": "Майор полиции, следователь",
        "manager": "Programme manager, UNODC project",
    }
    # every Turkmen- or Russian-speaking person's position is written in their language
    english = {"Prosecutor", "Investigator", "Senior prosecutor", "Assistant prosecutor", "Police investigator",
               "District police inspector", "Operational officer", "Patrol officer"}
    assert not Profile.objects.filter(language__in=["ru", "tk"], position__in=english).exists()
    before = list(Profile.objects.order_by("pk").values_list("pk", "position"))
    demo_people_load(password="demo-pass-1")
    agency_staff_load()
    assert list(Profile.objects.order_by("pk").values_list("pk", "position")) == before
