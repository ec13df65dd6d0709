"""The API's views: thin, like the web's. Who sees a session is ``lms.cascade.selectors.session_list`` (a
session outside the user's scope is 404, its existence not disclosed); who may do what, and every rule,
is in ``lms.cascade.services``, whose refusals come back as 400 (``SessionRefused``) or 403
(``NotPermitted``) with ``{"detail": message}`` in the language of the request (``Accept-Language``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from lms.cascade import exceptions as cascade_errors
from lms.cascade import selectors, services
from lms.cascade.models import Attendance, CascadeSession
from lms.reports import reach
from lms.reports import exceptions as report_errors
from lms.trainers import registry
from lms.trainers import selectors as trainer_selectors
from lms.trainers.models import Certification

from . import serializers as s

TAG_SESSIONS, TAG_ROSTER, TAG_TRAINERS, TAG_REPORTS = "sessions", "roster and attendance", "trainers", "reports"


class Refused(exceptions.APIException):
    """A rule of the cascade refuses the request (the service's message is the detail)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


def errors(*codes: int) -> dict:
    """The documented error responses: each is ``{"detail": str}`` (with ``errors`` for invalid input)."""
    return {code: s.ErrorSerializer for code in codes}


def _messages(detail, field: str = ""):
    """Yield ``(field, message)`` for each message of a validation error; nested fields read "days.date"."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = field if key == api_settings.NON_FIELD_ERRORS_KEY else (f"{field}.{key}" if field else str(key))
            yield from _messages(value, name)
    elif isinstance(detail, list):
        for value in detail:
            yield from _messages(value, field)
    else:
        yield field, str(detail)


def _first_message(detail) -> str:
    """The first message of a validation error, after the name of the field it concerns."""
    field, message = next(_messages(detail), ("", ""))
    return f"{field}: {message}" if field else message


class ServiceErrors:
    """Turn the services' refusals into 400/403 and give every error body a ``detail`` string."""

    def handle_exception(self, exc):
        if isinstance(exc, cascade_errors.NotPermitted):
            exc = exceptions.PermissionDenied(exc.message)
        elif isinstance(exc, cascade_errors.CascadeError):
            exc = Refused(exc.message)
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.ValidationError):
            fields = response.data
            if not isinstance(fields, dict):
                fields = {api_settings.NON_FIELD_ERRORS_KEY: fields}
            response.data = {"detail": _first_message(exc.detail), "errors": fields}
        return response


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- sessions ----------------------------------------------------------------------------------------------


def _sessions(user):
    """The sessions the user may see (the web's selector), with their roster counts."""
    return selectors.session_list_counted(user=user)


def _session(user, pk) -> CascadeSession:
    """A session the user may see, with what its page shows; 404 for any other."""
    try:
        return _sessions(user).prefetch_related("days", "co_trainers").get(pk=pk)
    except CascadeSession.DoesNotExist:
        raise exceptions.NotFound from None


def _running(user, pk) -> CascadeSession:
    """A session the user sees (404 otherwise) and runs, as its trainer or coordinator (403 otherwise)."""
    session = _session(user, pk)
    if not services.may_run(user=user, session=session):
        raise exceptions.PermissionDenied(cascade_errors.NOT_PERMITTED)
    return session


def _filtered(sessions, filters: dict):
    if filters.get("state"):
        sessions = sessions.filter(state=filters["state"])
    if filters.get("agency"):
        sessions = sessions.filter(agency_id=filters["agency"])
    if filters.get("from"):
        sessions = sessions.filter(ends_at__date__gte=filters["from"])
    if filters.get("to"):
        sessions = sessions.filter(starts_at__date__lte=filters["to"])
    return sessions


class SessionList(ServiceErrors, generics.GenericAPIView):
    serializer_class = s.SessionSerializer

    def get_queryset(self):
        return _sessions(self.request.user)

    @extend_schema(
        tags=[TAG_SESSIONS],
        summary="List the sessions you may see",
        description="Programme managers see every agency's sessions; a training coordinator their agency's; a "
        "trainer the sessions they lead or co-lead; anyone the sessions they are on the roster of. Newest first.",
        parameters=[s.SessionFilterSerializer],
        responses={200: s.SessionSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request):
        filters = _valid(s.SessionFilterSerializer, request.query_params)
        sessions = _filtered(self.get_queryset(), filters).order_by("-starts_at", "-pk")
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=[TAG_SESSIONS],
        summary="Schedule a session (a draft)",
        description="You lead it, inside your agency; co-trainers are certified trainers of your agency. Refused "
        "with 400 and the reason: no valid certification, a co-trainer of another agency, without a valid "
        "certification or booked at overlapping times, modules outside your certified scope, a day that "
        "ends before it starts or off the quarter-hour grid, a capacity below 1, a unit of another agency.",
        request=s.SessionScheduleSerializer,
        responses={201: s.SessionDetailSerializer, **errors(400, 401, 403)},
    )
    def post(self, request):
        data = _valid(s.SessionScheduleSerializer, request.data, context={"request": request})
        course_key = data.get("course_key")
        if course_key is None:
            # as the web form: the course of the trainer's certification (none: the service refuses)
            certification = trainer_selectors.active_certification(user=request.user)
            course_key = certification.programme.course_key if certification is not None else None
        session = services.session_schedule(
            actor=request.user,
            title=data["title"],
            course_key=course_key,
            modules=data["modules"],
            days=[services.Day(day["date"], day["starts"], day["ends"]) for day in data["days"]],
            venue=data["venue"],
            capacity=data["capacity"],
            language=data["language"],
            unit=data.get("unit"),
            co_trainers=list(data.get("co_trainers", [])),
            test_mode=data["test_mode"],
            pre_test=data.get("pre_test"),
            post_test=data.get("post_test"),
        )
        created = s.SessionDetailSerializer(_session(request.user, session.pk)).data
        return Response(created, status=status.HTTP_201_CREATED)


class SessionDetail(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_SESSIONS],
        summary="One session",
        responses={200: s.SessionDetailSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        return Response(s.SessionDetailSerializer(_session(request.user, pk)).data)


class SessionAction(ServiceErrors, APIView):
    """A move of the session's state through its service (``services.SESSION_ACTIONS``, as the web's buttons);
    the session as it is afterwards. The comment goes by the action's ``comment_as`` in the request body."""

    action = ""
    input_serializer = None

    def post(self, request, pk: int):
        session = _session(request.user, pk)
        chosen = services.SESSION_ACTIONS[self.action]
        kwargs = {}
        if chosen.comment_as is not None:
            kwargs[chosen.comment_as] = _valid(self.input_serializer, request.data)[chosen.comment_as]
        chosen.service(actor=request.user, session=session, **kwargs)
        return Response(s.SessionDetailSerializer(_session(request.user, pk)).data)


def _action_schema(action: str, summary: str, description: str, request=None):
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"sessions_{action}", tags=[TAG_SESSIONS], summary=summary, description=description,
            request=request,
            responses={200: s.SessionDetailSerializer, **errors(400, 401, 403, 404)},
        )
    )


@_action_schema(
    "submit", "Submit for approval", "The lead trainer submits a draft or returned session to the coordinator."
)
class SessionSubmit(SessionAction):
    action = "submit"


@_action_schema(
    "approve", "Approve", "The agency's training coordinator (or a programme manager) approves a submitted session."
)
class SessionApprove(SessionAction):
    action = "approve"


@_action_schema(
    "return", "Return with a comment", "The coordinator returns a submitted session to the trainer for changes.",
    request=s.CommentSerializer,
)
class SessionReturn(SessionAction):
    action = "return"
    input_serializer = s.CommentSerializer


@_action_schema(
    "cancel", "Cancel with a reason", "The lead trainer or the coordinator cancels a session before it is delivered.",
    request=s.ReasonSerializer,
)
class SessionCancel(SessionAction):
    action = "cancel"
    input_serializer = s.ReasonSerializer


@_action_schema(
    "deliver", "Mark as delivered", "The lead trainer marks an approved session as delivered once it has started."
)
class SessionDeliver(SessionAction):
    action = "deliver"


# --- roster and attendance ---------------------------------------------------------------------------------


class ParticipantList(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_ROSTER],
        summary="The roster",
        description="Enrolled participants and the waiting list, in the order they were added.",
        responses={200: s.ParticipantSerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        session = _running(request.user, pk)
        return Response(s.ParticipantSerializer(session.participants.select_related("user"), many=True).data)

    @extend_schema(
        tags=[TAG_ROSTER],
        summary="Add a person to the roster",
        description="A person of the session's agency who is not on it yet, nor one of its trainers. When the "
        "session is full the person goes on the waiting list (``status``).",
        request=s.ParticipantAddSerializer,
        responses={201: s.ParticipantSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        session = _running(request.user, pk)
        user_id = _valid(s.ParticipantAddSerializer, request.data)["user"]
        # the people the web's roster page offers, so that both entry points add the same people
        profile = selectors.roster_candidate_list(session=session).filter(user_id=user_id).first()
        if profile is None:
            raise Refused(cascade_errors.CHOOSE_PERSON)
        place = services.participant_add(actor=request.user, session=session, user=profile.user)
        return Response(s.ParticipantSerializer(place).data, status=status.HTTP_201_CREATED)


class ParticipantDetail(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_ROSTER],
        summary="Take a person off the roster",
        description="The first on the waiting list takes a freed place.",
        responses={204: None, **errors(400, 401, 403, 404)},
    )
    def delete(self, request, pk: int, user_id: int):
        session = _running(request.user, pk)
        place = session.participants.select_related("user").filter(user_id=user_id).first()
        if place is None:
            raise exceptions.NotFound
        services.participant_remove(actor=request.user, session=session, user=place.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttendanceView(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_ROSTER],
        summary="Attendance by day",
        description="Each day of the session with the status recorded for each participant (by roster entry id).",
        responses={200: s.AttendanceDaySerializer(many=True), **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        session = _running(request.user, pk)
        marks: dict[int, dict[int, str]] = {}
        for day_id, participant_id, mark in Attendance.objects.filter(day__session=session).values_list(
            "day_id", "participant_id", "status"
        ):
            marks.setdefault(day_id, {})[participant_id] = mark
        days = [
            {"pk": day.pk, "date": day.date, "starts": day.starts, "ends": day.ends, "statuses": marks.get(day.pk, {})}
            for day in session.days.all()
        ]
        return Response(s.AttendanceDaySerializer(days, many=True).data)

    @extend_schema(
        tags=[TAG_ROSTER],
        summary="Record the attendance of one day",
        description="For enrolled participants, from the day itself on, while the session is approved or "
        "delivered. Nothing is saved if any entry is refused.",
        request=s.AttendanceRecordSerializer,
        responses={200: s.AttendanceResultSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk: int):
        session = _running(request.user, pk)
        data = _valid(s.AttendanceRecordSerializer, request.data, context={"session": session})
        count = services.attendance_record(
            actor=request.user, session=session, day=data["day"], statuses=data["statuses"]
        )
        return Response(s.AttendanceResultSerializer({"day": data["day"].pk, "recorded": count}).data)


# --- trainer registry --------------------------------------------------------------------------------------


def _registry_check(user) -> None:
    if not registry.registry_allowed(user=user):
        raise exceptions.PermissionDenied(cascade_errors.NOT_PERMITTED)


class TrainerList(ServiceErrors, generics.GenericAPIView):
    serializer_class = s.RegistryRowSerializer

    @extend_schema(
        tags=[TAG_TRAINERS],
        summary="The trainer registry",
        description="For programme managers (every agency) and training coordinators (their agency): one row per "
        "certification past candidacy, by name, with what the trainer delivered.",
        parameters=[s.TrainerFilterSerializer],
        responses={200: s.RegistryRowSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request):
        _registry_check(request.user)
        filters = registry.RegistryFilters.from_query(request.query_params)
        rows = registry.trainer_registry(actor=request.user, **filters.as_kwargs())
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TrainerDetail(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_TRAINERS],
        summary="One trainer",
        description="The id is the trainer's user id (``id`` of a registry row).",
        responses={200: s.TrainerSerializer, **errors(401, 403, 404)},
    )
    def get(self, request, pk: int):
        _registry_check(request.user)
        try:
            trainer = registry.trainer_profile(actor=request.user, user_id=pk)
        except Certification.DoesNotExist:
            raise exceptions.NotFound from None
        return Response(s.TrainerSerializer(trainer).data)


# --- reach of the cascade ----------------------------------------------------------------------------------


REACH_PAGE_SIZE = 50  # sessions per page of the reach summary


class ReachView(ServiceErrors, APIView):
    @extend_schema(
        tags=[TAG_REPORTS],
        summary="The reach of the cascade",
        description="The figures of the reach report (lms.reports.reach): the national view for programme "
        "managers, their agency's for a training coordinator; counted over delivered and reported sessions.",
        parameters=[s.ReachFilterSerializer, s.ReachPageSerializer],
        responses={200: s.ReachSummarySerializer, **errors(400, 401, 403)},
    )
    def get(self, request):
        if not reach.reach_allowed(user=request.user):
            raise exceptions.PermissionDenied(report_errors.NOT_ALLOWED)
        paging = s.ReachPageSerializer(data=request.query_params)
        paging.is_valid(raise_exception=True)
        number, size = paging.validated_data.get("page", 1), paging.validated_data.get("page_size", REACH_PAGE_SIZE)
        start = (number - 1) * size
        try:
            summary = reach.reach_summary(
                user=request.user, filters=request.query_params, sessions=slice(start, start + size)
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.messages) from None

        def link(page):
            query = request.query_params.copy()
            query["page"] = page
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        summary["sessions_next"] = link(number + 1) if start + size < summary["sessions_count"] else None
        summary["sessions_previous"] = link(number - 1) if number > 1 else None
        return Response(summary)
