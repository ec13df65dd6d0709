"""Shared helpers of the cascade tests: sessions scheduled through the service, the session form's data."""

from datetime import time

from lms.cascade import services
from lms.cascade.services import Day
from tests.cascade.conftest import SOON


def schedule_session(trainer, programme, *, days=None, **overrides):
    values = {
        "title": "Victim-sensitive interviewing", "course_key": programme.course_key, "modules": [3],
        "days": [Day(SOON, time(9), time(13))] if days is None else days, "venue": "Daşoguz regional prosecutor's office",
        "capacity": 2, "language": "tk",
    }
    values.update(overrides)
    return services.session_schedule(actor=trainer, **values)


def schedule_one_day(trainer, programme, *, day=SOON, **overrides):
    values = {
        "title": "Victim-sensitive interviewing", "course_key": programme.course_key, "modules": [1],
        "days": [Day(day, time(9), time(13))], "venue": "Daşoguz", "capacity": 2, "language": "tk",
    }
    values.update(overrides)
    return services.session_schedule(actor=trainer, **values)


def form_data(programme, *, days=((SOON, "09:00", "13:00"),), **overrides):
    data = {
        "title": "Identifying victims", "course": str(programme.course_key), "modules": ["1", "2"],
        "venue": "Balkan training centre", "unit": "", "language": "tk", "capacity": "12", "test_mode": "online",
        "pre_test": "", "post_test": "",
        "days-TOTAL_FORMS": "3", "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
    }
    for index, (date, starts, ends) in enumerate(days):
        data.update({f"days-{index}-date": str(date), f"days-{index}-starts": starts, f"days-{index}-ends": ends})
    data.update(overrides)
    return data
