import uuid
from datetime import datetime, time, timedelta

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from lms.cascade.models import CascadeSession, SessionDay, SessionParticipant

from lms.people.models import Agency, Profile, Region, TrainingUnit
from lms.people.roles import Role


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "TM-B"
    name_en = "Balkan region"
    name_ru = "Балканский велаят"
    name_tk = "Balkan welaýaty"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"AG{n}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    name_ru = factory.LazyAttribute(lambda o: f"Ведомство {o.code}")
    name_tk = factory.LazyAttribute(lambda o: f"Edara {o.code}")


class TrainingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingUnit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Training unit {o.code}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Aýna"
    last_name = factory.Sequence(lambda n: f"Orazowa{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    region = factory.SubFactory(RegionFactory)
    position = "Prosecutor"
    gender = Profile.Gender.FEMALE
    language = "tk"


NEW_AGENCY = object()


def person(*, roles=(Role.TRAINEE,), agency=NEW_AGENCY, language="tk", **user_fields) -> User:
    """Create a user with a profile and roles in one call (``agency=None`` for none)."""
    user = UserFactory(roles=list(roles), **user_fields)
    if agency is NEW_AGENCY:
        agency = AgencyFactory()
    ProfileFactory(user=user, agency=agency, language=language)
    user.save()
    return user


def _aware(day, at):
    return timezone.make_aware(datetime.combine(day, at))


class CascadeSessionFactory(factory.django.DjangoModelFactory):
    """A cascade session set up directly (scheduling and approval are tested through the services).

    ``first`` and ``length`` give a run of days from 9:00 to 17:00; ``schedule`` (a list of
    ``(date, starts, ends)``) gives any other days. ``starts_at``/``ends_at`` follow the schedule unless
    given. ``make_days=False`` creates no ``SessionDay`` rows. ``co_trainers`` and ``participants``
    (users; ``participants__status`` for their status) are set after creation.
    """

    class Meta:
        model = CascadeSession
        skip_postgeneration_save = True

    class Params:
        first = factory.LazyFunction(timezone.localdate)
        length = 1

    title = "Cascade session"
    course_key = factory.LazyFunction(uuid.uuid4)
    modules = factory.LazyFunction(lambda: [1])
    lead_trainer = factory.LazyFunction(lambda: person(roles=[Role.TRAINER]))
    agency = factory.LazyAttribute(lambda o: o.lead_trainer.profile.agency)
    language = "ru"
    venue = "Ashgabat"
    capacity = 20
    schedule = factory.LazyAttribute(
        lambda o: [(o.first + timedelta(days=number), time(9), time(17)) for number in range(o.length)]
    )
    make_days = True
    starts_at = factory.LazyAttribute(lambda o: _aware(o.schedule[0][0], o.schedule[0][1]))
    ends_at = factory.LazyAttribute(lambda o: _aware(o.schedule[-1][0], o.schedule[-1][2]))

    @classmethod
    def _create(cls, model_class, *args, schedule=(), make_days=True, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        if make_days:
            for day, starts, ends in schedule:
                SessionDay.objects.create(session=session, date=day, starts=starts, ends=ends)
        return session

    @factory.post_generation
    def co_trainers(self, create, extracted, **kwargs):
        if create and extracted is not None:
            self.co_trainers.set(extracted)

    @factory.post_generation
    def participants(self, create, extracted, status=SessionParticipant.Status.ENROLLED, **kwargs):
        for user in extracted or ():
            SessionParticipant.objects.create(session=self, user=user, status=status)
