"""What the API reads and returns. Serializers only shape and type the data: every rule of the cascade
(certified scope, quarter hours, double booking, capacity, agency, states) is the service's, which
refuses with a message that the views return as ``{"detail": …}``."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Assessment
from content.bounds import ID_MAX, ID_MIN, INT_MAX, at_most, id_or_none
from lms.cascade import exceptions as cascade_errors
from lms.cascade import selectors as cascade_selectors
from lms.cascade.models import Attendance, CascadeSession, SessionDay, SessionParticipant
from lms.people import selectors as people_selectors
from lms.people.models import TrainingUnit
from lms.people.names import display_name
from lms.trainers.registry import REGISTRY_STATUSES

State = CascadeSession.State


class IdSerializerField(serializers.IntegerField):
    """An id: a whole number in the range of a primary key (1 … 2**63-1), so the schema says so too."""

    def __init__(self, **kwargs):
        super().__init__(min_value=ID_MIN, max_value=ID_MAX, **kwargs)

PARTICIPANT_NOT_NUMBER = _("Participants are given by their numbers (ids).")


# --- errors ------------------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every refusal: ``detail`` says why in the user's language; ``errors`` names the fields of an invalid input."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        required=False, child=serializers.JSONField(),
        help_text="The invalid input fields, each with its messages (only when the input itself is invalid).",
    )


# --- small references --------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return display_name(user)


class NamedSerializer(serializers.Serializer):
    """An agency, region or training unit: its id, code and its name in the user's language."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


# --- sessions ----------------------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$", "example": "09:00:00",
     "description": "A time of day on the session's local clock, without an offset (hh:mm[:ss])."}
)
class LocalTimeField(serializers.TimeField):
    """A session's wall-clock time. Not ``format: time``: that (RFC 3339) needs an offset, and a day of a
    session is held at the venue's local time."""


class DaySerializer(serializers.ModelSerializer):
    starts = LocalTimeField()
    ends = LocalTimeField()

    class Meta:
        model = SessionDay
        fields = ["id", "date", "starts", "ends"]


class SessionSerializer(serializers.ModelSerializer):
    """A session as the list gives it; ``enrolled`` and ``waitlisted`` count its roster."""

    state_label = serializers.SerializerMethodField()
    lead_trainer = PersonSerializer()
    agency = NamedSerializer()
    unit = NamedSerializer(allow_null=True)
    region = NamedSerializer(allow_null=True)
    modules = serializers.ListField(child=serializers.IntegerField(), help_text="Module numbers of the course.")
    enrolled = serializers.IntegerField()
    waitlisted = serializers.IntegerField()

    class Meta:
        model = CascadeSession
        fields = [
            "id", "title", "state", "state_label", "course_key", "modules", "lead_trainer", "agency", "unit",
            "region", "language", "venue", "capacity", "test_mode", "starts_at", "ends_at", "enrolled", "waitlisted",
        ]
        read_only_fields = fields

    def get_state_label(self, session) -> str:
        return str(State(session.state).label)


class SessionDetailSerializer(SessionSerializer):
    """One session with its days, co-trainers, tests and completion rule."""

    days = DaySerializer(many=True)
    co_trainers = PersonSerializer(many=True)

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "days", "co_trainers", "pre_test", "post_test", "min_attendance",
                  "created_at"]
        read_only_fields = fields


class DayInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts = LocalTimeField(help_text="Start time, on a quarter hour (09:00, 09:15 …).")
    ends = LocalTimeField(help_text="End time, on a quarter hour, after the start.")


class CoTrainerField(serializers.PrimaryKeyRelatedField):
    """A co-trainer by user id, among the certified trainers of the requesting trainer's agency, which is the
    session's (the web form offers the same people); anyone else is refused with the cascade's message."""

    default_error_messages = {"does_not_exist": cascade_errors.CO_TRAINER_NOT_OFFERED}

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return get_user_model().objects.none()
        return cascade_selectors.co_trainer_list(agency=people_selectors.user_agency(user=request.user))


class SessionScheduleSerializer(serializers.Serializer):
    """What a certified trainer gives to schedule a session (saved as a draft).

    The rules are checked by the scheduling service, as for the web form: an empty list of days or of
    modules, a capacity below 1, a day that ends before it starts, modules outside the certified scope,
    a co-trainer of another agency, without a valid certification or already booked are refused with 400
    and a message. Needs the request in its context (``co_trainers`` come from the requester's agency).
    """

    title = serializers.CharField(max_length=200)
    course_key = serializers.UUIDField(
        required=False, help_text="The course (its translation key); by default the course of your certification."
    )
    modules = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=INT_MAX), allow_empty=True)
    days = DayInputSerializer(many=True, allow_empty=True)
    venue = serializers.CharField(max_length=200)
    # no min_value: the service refuses a capacity below 1 with its own message (the top is the column's)
    capacity = serializers.IntegerField(**at_most(CascadeSession, "capacity"))
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=TrainingUnit.objects.all(), required=False, allow_null=True, pk_field=IdSerializerField()
    )
    co_trainers = CoTrainerField(
        many=True, required=False, pk_field=IdSerializerField(),
        help_text="Certified trainers of your agency (the session's), by their user ids; nobody else is accepted.",
    )
    test_mode = serializers.ChoiceField(choices=CascadeSession.TestMode.choices, default=CascadeSession.TestMode.ONLINE)
    pre_test = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.filter(published=True, purpose=Assessment.Purpose.PRE), required=False,
        allow_null=True, pk_field=IdSerializerField(),
    )
    post_test = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.filter(published=True, purpose=Assessment.Purpose.POST), required=False,
        allow_null=True, pk_field=IdSerializerField(),
    )


class SessionFilterSerializer(serializers.Serializer):
    """The filters of the session list (query parameters)."""

    state = serializers.ChoiceField(choices=State.choices, required=False)
    agency = IdSerializerField(required=False, help_text="An agency id.")
    date_from = serializers.DateField(required=False, help_text="Sessions that end on or after this date.")
    date_to = serializers.DateField(required=False, help_text="Sessions that start on or before this date.")

    def get_fields(self):
        # "from" and "to" are the parameters' names; Python keeps "from" for itself
        fields = super().get_fields()
        fields["from"] = fields.pop("date_from")
        fields["to"] = fields.pop("date_to")
        return fields


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True, help_text="Why the session goes back to the trainer (required, kept in its history)."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text="Why the session is cancelled (required, kept in its history)."
    )


# --- roster and attendance ---------------------------------------------------------------------------------


class ParticipantSerializer(serializers.ModelSerializer):
    user = PersonSerializer()

    class Meta:
        model = SessionParticipant
        fields = ["id", "user", "status", "added_at"]


class ParticipantAddSerializer(serializers.Serializer):
    user = IdSerializerField(help_text="The id of a person of the session's agency.")


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "string", "enum": list(Attendance.Status.values)},
     "description": "Attendance status by participant id (the id of the roster entry, not of the user)."}
)
class StatusesField(serializers.DictField):
    child = serializers.ChoiceField(choices=Attendance.Status.choices)

    def to_internal_value(self, data):
        statuses = super().to_internal_value(data)
        ids = {key: id_or_none(key) for key in statuses}
        if any(number is None for number in ids.values()):
            raise serializers.ValidationError(PARTICIPANT_NOT_NUMBER)
        return {ids[key]: status for key, status in statuses.items()}


class AttendanceDaySerializer(serializers.Serializer):
    """One day of the session with the attendance recorded so far."""

    day = serializers.IntegerField(source="pk")
    date = serializers.DateField()
    starts = LocalTimeField()
    ends = LocalTimeField()
    statuses = StatusesField()


class AttendanceRecordSerializer(serializers.Serializer):
    day = serializers.PrimaryKeyRelatedField(
        queryset=SessionDay.objects.none(), help_text="The id of one of the session's days.",
        pk_field=IdSerializerField(),
    )
    statuses = StatusesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.context.get("session")
        if session is not None:
            self.fields["day"].queryset = session.days.all()


class AttendanceResultSerializer(serializers.Serializer):
    day = serializers.IntegerField()
    recorded = serializers.IntegerField(help_text="How many participants' attendance was saved.")


# --- trainer registry --------------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    """What a trainer delivered: sessions led and co-facilitated, participants, their mean knowledge gain."""

    sessions_led = serializers.IntegerField()
    sessions_co_facilitated = serializers.IntegerField()
    participants = serializers.IntegerField()
    mean_gain = serializers.FloatField(allow_null=True)
    hours = serializers.FloatField()


class RegistryRowSerializer(serializers.Serializer):
    """One certification in the trainer registry (a person certified in two programmes has two rows)."""

    id = serializers.IntegerField(source="user.pk", help_text="The trainer (user) id, for /trainers/{id}/.")
    certification = serializers.IntegerField(source="certification.pk")
    name = serializers.CharField()
    agency = NamedSerializer(allow_null=True)
    region = NamedSerializer(allow_null=True)
    programme = ProgrammeSerializer(source="certification.programme")
    status = serializers.ChoiceField(choices=[(status.value, status.label) for status in REGISTRY_STATUSES])
    status_label = serializers.CharField()
    number = serializers.CharField(source="certification.number", allow_null=True)
    certified_on = serializers.DateField(source="certification.certified_on", allow_null=True)
    valid_until = serializers.DateField(source="certification.valid_until", allow_null=True)
    modules = serializers.ListField(child=serializers.IntegerField())
    sessions_delivered = serializers.IntegerField()
    participants = serializers.IntegerField(source="delivered.participants")
    mean_gain = serializers.FloatField(source="delivered.mean_gain", allow_null=True)


class TrainerFilterSerializer(serializers.Serializer):
    """The registry's filters (query parameters); a value that cannot be right is ignored, as on the web."""

    agency = IdSerializerField(required=False, help_text="An agency id.")
    region = IdSerializerField(required=False, help_text="A region id.")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    status = serializers.ChoiceField(choices=[(status.value, status.label) for status in REGISTRY_STATUSES],
                                     required=False)
    module = serializers.IntegerField(
        required=False, min_value=1, max_value=INT_MAX, help_text="A module number the trainer may teach."
    )


class TrainerCertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="certification.pk")
    programme = ProgrammeSerializer(source="certification.programme")
    status = serializers.CharField()
    status_label = serializers.CharField()
    number = serializers.CharField(source="certification.number", allow_null=True)
    certified_on = serializers.DateField(source="certification.certified_on", allow_null=True)
    valid_until = serializers.DateField(source="certification.valid_until", allow_null=True)
    modules = serializers.SerializerMethodField()

    def get_modules(self, row) -> list[int]:
        return list(row.certification.programme.modules or [])


class TrainerSerializer(serializers.Serializer):
    """One trainer: the person, every certification (candidacies too) and what they delivered."""

    id = serializers.IntegerField(source="user.pk")
    name = serializers.CharField()
    agency = NamedSerializer(source="profile.agency", allow_null=True)
    region = NamedSerializer(source="profile.region", allow_null=True)
    unit = NamedSerializer(source="profile.unit", allow_null=True)
    position = serializers.CharField(source="profile.position", allow_null=True)
    certifications = TrainerCertificationSerializer(many=True)
    delivered = DeliverySerializer()
    sessions_delivered = serializers.IntegerField()


# --- reach of the cascade ----------------------------------------------------------------------------------


@extend_schema_field({"type": ["string", "number", "boolean", "null"]})
class ScalarField(serializers.JSONField):
    """A plain value of a report row: text, a number, a flag or nothing."""


class RowField(serializers.DictField):
    """One row of a report table: column name → plain value (the columns are the report's, as in its downloads)."""

    child = ScalarField()


class ReachFilterSerializer(serializers.Serializer):
    """The filters of the reach report (query parameters); a bad value is refused with 400."""

    cohort = serializers.SlugField(required=False, help_text="A ToT cohort code.")
    agency = serializers.CharField(required=False, help_text="An agency code (programme managers only).")
    region = serializers.CharField(required=False, help_text="A region code, where the sessions were held.")
    gender = serializers.ChoiceField(choices=["female", "male"], required=False,
                                     help_text="Count only the participants of this gender.")
    date_from = serializers.DateField(required=False, help_text="Sessions whose first day is on or after this date.")
    date_to = serializers.DateField(required=False, help_text="Sessions whose first day is on or before this date.")
    interval = serializers.ChoiceField(choices=["month", "quarter"], required=False,
                                       help_text="The periods of ``over_time`` (by month unless given).")


class ReachPageSerializer(serializers.Serializer):
    """Which page of the session list to give (the other figures are whole on every page)."""

    page = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000,
                                    help_text="The page of ``sessions``, from 1 (past the last: an empty list).")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500,
                                         help_text="Sessions per page (50 unless given, at most 500).")


class ReachCoverageSerializer(serializers.Serializer):
    agency = serializers.ListField(child=RowField())
    region = serializers.ListField(child=RowField())
    gender = serializers.ListField(child=RowField())


class ReachSummarySerializer(serializers.Serializer):
    """The reach of the cascade, ToT cohort → certified trainers → sessions → participants, in the scope of
    the user (``national`` for programme managers, ``agency`` for a training coordinator)."""

    scope = serializers.ChoiceField(choices=["national", "agency"])
    agency = serializers.CharField(allow_null=True, help_text="The agency's code in the agency view.")
    filters = serializers.DictField(child=serializers.CharField(), help_text="The filters applied.")
    totals = RowField(help_text="Trainers certified, active and delivering; sessions; participants; multiplier; "
                                "hours.")
    cohorts = serializers.ListField(child=RowField(), help_text="The lineage figures per ToT cohort.")
    knowledge_gain = serializers.ListField(child=RowField(), help_text="Knowledge gain at each level of the cascade.")
    coverage = ReachCoverageSerializer(help_text="Participants reached by agency, region and gender.")
    over_time = serializers.ListField(child=RowField(), help_text="Sessions and participants per period.")
    trainers = serializers.ListField(child=RowField(), help_text="What each trainer delivered.")
    sessions_count = serializers.IntegerField(help_text="The sessions counted, on all pages.")
    sessions = serializers.ListField(child=RowField(), help_text="The sessions counted: one page of them.")
    sessions_next = serializers.URLField(allow_null=True, help_text="The next page of ``sessions``, if any.")
    sessions_previous = serializers.URLField(allow_null=True, help_text="The previous page of ``sessions``, if any.")
