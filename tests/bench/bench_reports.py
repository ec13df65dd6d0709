"""Every report page and export at national volume (issue 20), as a programme manager and as the GPO's
coordinator: seconds, queries, bytes and peak memory per page, and whether each goal is met.

    .ci/with-postgres .venv/bin/python tests/bench/bench_reports.py [--scale 1] [--seed 20] [--runs 3]
    .ci/with-postgres .venv/bin/python tests/bench/bench_reports.py --scale 0.02   # a quick check

It migrates the (throwaway) PostgreSQL database named by DATABASE_URL, runs ``seed_demo`` and then adds,
with COPY (bulk inserts, a seeded random generator), the volume the issue measured times ``--scale``:
105,940 people, 4,007 cascade sessions led by the seed's certified trainers with 97,465 participants
and 151,311 attendance rows, and 33,700 pre/post attempts (16,850 participants took both of the seed's
session tests, within the session's windows) with about 1,006,800 scored answers (30 items each).

Each page is requested with Django's test client: one warm request, then ``--runs`` timed ones (the median
is printed), then one more under ``tracemalloc`` for the peak of Python and numpy memory during the
request. Goals (issue 20): a manager's page ≤ 3 s, a coordinator's ≤ 1.5 s, peak ≤ 300 MB.
Not a timed test: run it by hand; the machine's load average is printed with the table.
"""

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, time as clock, timedelta
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PREFIX = "bench-reports"
VOLUME = {  # the national volume (scale 1)
    "people": 105_940,
    "sessions": 4_007,
    "participants": 97_465,
    "attendance": 151_311,
    "tested": 16_850,  # participants with a pre- and a post-test: 33,700 attempts
}
ITEMS = 30  # items per attempt
GOALS = {"manager": 3.0, "coordinator": 1.5}
MEMORY_GOAL_MB = 300


# --- building the volume ----------------------------------------------------------------------------------


def _copy(model, rows, *, fields=None) -> int:
    """COPY ``rows`` (dicts by attname) into ``model``'s table; every concrete column is written, the
    model's defaults filling what a row leaves out (COPY knows no Django default)."""
    import json

    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    columns = [field for field in model._meta.concrete_fields]
    defaults = {}
    for field in columns:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()  # "" for text without a default, as Django saves it
    json_fields = {field.attname for field in columns if field.get_internal_type() == "JSONField"}
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for field in columns:
                    value = row.get(field.attname, defaults[field.attname])
                    if field.attname in json_fields and value is not None:
                        value = json.dumps(value)
                    values.append(value)
                copy.write_row(values)
                count += 1
    return count


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def build(*, scale: float, seed: int) -> dict:
    """seed_demo, then the national volume times ``scale``; returns what was added."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import Answer, Attempt, Question
    from lms.cascade.models import Attendance, CascadeSession, SessionDay, SessionParticipant
    from lms.people.models import Agency, Profile, Region
    from lms.trainers.models import Certification

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if User.objects.filter(username__startswith=PREFIX).exists():
        print("The volume is in place: not built again.", flush=True)
        return {}
    if not User.objects.filter(username="manager").exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
        print(f"seed_demo: {time.perf_counter() - started:.0f} s", flush=True)
    rng = random.Random(seed)
    volume = {name: max(1, round(number * scale)) for name, number in VOLUME.items()}
    template = CascadeSession.objects.exclude(pre_test=None).exclude(post_test=None).first()
    pre, post = template.pre_test, template.post_test
    trainers = list(
        Certification.objects.filter(status=Certification.Status.CERTIFIED)
        .values_list("user_id", "user__profile__agency_id").distinct()
    )
    agencies = list(Agency.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    # the tests draw their items from the bank (a blueprint): each attempt here draws ITEMS of its questions
    pool = sorted(Question.objects.filter(locale__language_code="en").values_list("translation_key", flat=True))
    questions = {  # (translation key, language) -> the question
        (question.translation_key, question.locale.language_code): question
        for question in Question.objects.filter(translation_key__in=pool).select_related("locale")
    }
    languages = sorted({language for _key, language in questions})
    now = timezone.now()

    started = time.perf_counter()
    with transaction.atomic():
        # people: every one with a profile (agency, region, gender, language)
        first_user = _next_id(User)
        users = list(range(first_user, first_user + volume["people"]))
        _copy(User, ({
            "id": pk, "username": f"{PREFIX}-{pk}", "password": "!", "first_name": f"Learner {pk}",
            "last_name": "Bench", "email": "", "is_active": True, "date_joined": now,
        } for pk in users))
        profile_of = {}
        rows = []
        for pk in users:
            profile_of[pk] = (rng.choice(agencies), rng.choice(regions))
            rows.append({
                "user_id": pk, "agency_id": profile_of[pk][0], "region_id": profile_of[pk][1],
                "gender": rng.choice(["female", "male", "male", ""]), "language": rng.choice(languages),
            })
        rows = [{**row, "id": number} for number, row in enumerate(rows, start=_next_id(Profile))]
        _copy(Profile, rows)

        # sessions over the last two years, one or two days each, led by the certified trainers
        first_session = _next_id(CascadeSession)
        sessions = []
        for offset in range(volume["sessions"]):
            trainer, agency = rng.choice(trainers)
            day = (now - timedelta(days=rng.randint(20, 730))).date()
            days = 1 if rng.random() < 0.45 else 2
            starts = timezone.make_aware(datetime.combine(day, clock(9)))
            ends = timezone.make_aware(datetime.combine(day + timedelta(days=days - 1), clock(17)))
            sessions.append({
                "id": first_session + offset, "title": f"Bench session {offset}", "course_key": template.course_key,
                "modules": [1, 2], "lead_trainer_id": trainer, "agency_id": agency or rng.choice(agencies),
                "region_id": rng.choice(regions), "language": rng.choice(languages), "venue": "Bench hall",
                "capacity": 40, "pre_test_id": pre.pk, "post_test_id": post.pk,
                "state": rng.choices(["reported", "delivered", "cancelled"], [85, 13, 2])[0],
                "starts_at": starts, "ends_at": ends, "days": days,
            })
        _copy(CascadeSession, sessions)
        day_ids = {}
        day_rows = []
        next_day = _next_id(SessionDay)
        for session in sessions:
            for number in range(session["days"]):
                day_ids.setdefault(session["id"], []).append(next_day)
                day_rows.append({
                    "id": next_day, "session_id": session["id"], "date": session["starts_at"].date() + timedelta(days=number),
                    "starts": clock(9), "ends": clock(17),
                })
                next_day += 1
        _copy(SessionDay, day_rows)

        # participants: distinct people, spread over the sessions; attendance for each of their days
        chosen = rng.sample(users, min(volume["participants"], len(users)))
        place = {}
        participant_rows = []
        attendance_rows = []
        next_participant, next_attendance = _next_id(SessionParticipant), _next_id(Attendance)
        attendance_left = volume["attendance"]
        for index, user in enumerate(chosen):
            session = sessions[index % len(sessions)]
            place[user] = session
            participant_rows.append({"id": next_participant, "session_id": session["id"], "user_id": user,
                                     "status": "enrolled", "added_at": now})
            for day in day_ids[session["id"]]:
                if attendance_left > 0:
                    attendance_rows.append({"id": next_attendance, "participant_id": next_participant, "day_id": day,
                                            "status": rng.choices(["present", "late", "absent"], [85, 10, 5])[0],
                                            "recorded_at": now})
                    next_attendance += 1
                    attendance_left -= 1
            next_participant += 1
        _copy(SessionParticipant, participant_rows)
        _copy(Attendance, attendance_rows)

        # pre/post tests of some participants of sessions held (not cancelled), in the session's windows
        held = [user for user in chosen if place[user]["state"] != "cancelled"]
        tested = rng.sample(held, min(volume["tested"], len(held)))
        attempt_rows = []
        first_attempt, first_answer = _next_id(Attempt), _next_id(Answer)

        def answers():
            """The answers, generated as COPY reads them; each attempt's row is kept with its total (the
            foreign keys are checked at commit, so the attempts may follow their answers)."""
            next_answer = first_answer
            for user in tested:
                session = place[user]
                ability = rng.betavariate(2, 3)
                language = rng.choice(languages)
                for test, when, lift in (
                    (pre, session["starts_at"] - timedelta(hours=rng.randint(1, 72)), 0.0),
                    (post, session["ends_at"] + timedelta(hours=rng.randint(1, 120)), 0.35),
                ):
                    total, maximum = Decimal(0), Decimal(0)
                    attempt_id = first_attempt + len(attempt_rows)
                    for position, key in enumerate(rng.sample(pool, min(ITEMS, len(pool))), start=1):
                        question = questions.get((key, language)) or questions[key, "en"]
                        points = question.points
                        right = rng.random() < min(0.97, 0.25 + ability * 0.6 + lift)
                        response, response_key = None, ""
                        if question.kind == "single":
                            options = [option["key"] for option in question.data.get("options", [])]
                            correct = question.data.get("correct")
                            wrong = [option for option in options if option != correct] or options
                            response = correct if right else rng.choice(wrong)
                            response_key = str(response).lower()
                        elif question.kind == "truefalse":
                            correct = bool(question.data.get("correct"))
                            response = correct if right else not correct
                            response_key = str(response).lower()
                        score = points if right else Decimal(0)
                        total += score
                        maximum += points
                        yield {
                            "id": next_answer, "attempt_id": attempt_id, "position": position, "question_id": question.pk,
                            "question_key": key, "response": response, "saved_at": when, "score": score,
                            "max_score": points, "parts": {}, "response_key": response_key,
                        }
                        next_answer += 1
                    attempt_rows.append({
                        "id": attempt_id, "assessment_id": test.pk, "user_id": user, "number": 1, "state": "submitted",
                        "source": "online", "language": language, "seed": "", "started_at": when - timedelta(minutes=40),
                        "submitted_at": when, "score": total, "max_score": maximum,
                        "passed": None if test.pass_mark is None else total * 100 >= test.pass_mark * maximum,
                    })

        answer_count = _copy(Answer, answers())
        _copy(Attempt, attempt_rows)
        _reset_sequences([User, Profile, CascadeSession, SessionDay, SessionParticipant, Attendance, Attempt, Answer])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    added = {
        "people": len(users), "sessions": len(sessions), "participants": len(participant_rows),
        "attendance": len(attendance_rows), "attempts": len(attempt_rows), "answers": answer_count,
    }
    print(f"bulk inserts: {time.perf_counter() - started:.0f} s; added {added}", flush=True)
    return added


# --- timing ---------------------------------------------------------------------------------------------------


def _body_size(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _request(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        size = _body_size(response)  # a streamed body is produced while it is read: it counts
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return seconds, len(queries), size


def measure(client, url, *, runs: int) -> dict:
    _request(client, url)  # warm
    timings = [_request(client, url) for _ in range(runs)]
    tracemalloc.start()
    _request(client, url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": statistics.median(seconds for seconds, _q, _b in timings),
        "queries": timings[-1][1],
        "bytes": timings[-1][2],
        "peak_mb": peak / 2**20,
    }


def pages() -> list[tuple[str, str]]:
    from django.urls import reverse
    from django.utils import translation

    from lms.people.models import Region

    region = Region.objects.order_by("code").values_list("code", flat=True).first()
    with translation.override("en"):
        gain = reverse("reports:knowledge_gain")
        reach = reverse("reports:reach")
        return [
            ("knowledge gain", gain),
            ("knowledge gain, XLSX", f"{gain}?download=xlsx"),
            ("knowledge gain, CSV", f"{gain}?download=csv"),
            ("knowledge gain, one region", f"{gain}?region={region}"),
            ("trainer registry", reverse("trainers:registry")),
            ("registry, XLSX", reverse("trainers:registry_export")),
            ("reach", reach),
            ("reach, XLSX", f"{reach}?download=xlsx"),
            ("reach, CSV", f"{reach}?download=csv"),
            ("/api/v1/reports/reach/", reverse("api:reach")),
            ("dashboard", reverse("dashboard")),
            ("OJT dashboard", reverse("ojt:ojt_dashboard")),
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the national volume (default 1)")
    parser.add_argument("--seed", type=int, default=20, help="seed of the random generator")
    parser.add_argument("--runs", type=int, default=3, help="timed requests per page (the median is printed)")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of each page (no table)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run under .ci/with-postgres: the volume is built with PostgreSQL's COPY.")
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    build(scale=args.scale, seed=args.seed)
    roles = {"manager": User.objects.get(username="manager"), "coordinator": User.objects.get(username="coordinator")}
    results = {}
    for name, url in pages():
        if args.only and args.only not in name:
            continue
        for role, user in roles.items():
            if name == "dashboard" and role == "coordinator":
                continue  # the national figures are the manager's
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            if args.profile:
                import cProfile
                import pstats

                _request(client, url)
                profiler = cProfile.Profile()
                profiler.runcall(_request, client, url)
                print(f"--- {name} ({role})")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
                continue
            results[name, role] = measure(client, url, runs=args.runs)
            row = results[name, role]
            print(f"  {name} ({role}): {row['seconds']:.2f} s, {row['queries']} queries, "
                  f"{row['bytes']:,} bytes, {row['peak_mb']:.0f} MB", flush=True)
    load = os.getloadavg()
    print()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, scale {args.scale:g}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| page | role | seconds | queries | bytes | peak MB | goal |")
    print("|---|---|---|---|---|---|---|")
    met_all = True
    for (name, role), row in results.items():
        met = row["seconds"] <= GOALS[role] and row["peak_mb"] <= MEMORY_GOAL_MB
        met_all &= met
        print(f"| {name} | {role} | {row['seconds']:.2f} | {row['queries']} | {row['bytes']:,} | "
              f"{row['peak_mb']:.0f} | {'met' if met else 'NOT met'} |")
    print()
    print("All goals met." if met_all else "Some goals are not met.")


if __name__ == "__main__":
    main()
