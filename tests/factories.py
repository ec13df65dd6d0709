import factory
from django.contrib.auth.models import Group, User

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
