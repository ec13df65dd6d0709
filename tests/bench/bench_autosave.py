"""300 learners take a 30-item test at once: autosave latency against gunicorn and PostgreSQL, and a count
of lost answers afterwards.

    .ci/with-postgres .venv/bin/python tests/bench/bench_autosave.py [--learners 300] [--items 30]
        [--think 5 15] [--workers 2] [--threads 4]

It migrates the (throwaway) PostgreSQL database named by DATABASE_URL, creates a bank of single-choice
questions, a test of ``--items`` fixed items and ``--learners`` learners each with a started attempt and
a session, then serves the site with gunicorn (threaded workers, which keep connections alive) and lets every learner answer every item in a random order
with a think time drawn from ``--think`` seconds, changing about one answer in five afterwards, over
one keep-alive connection per learner (300 at once). It prints the autosave latency (p50/p95/p99), the
throughput, the refused requests, and the lost answers: items whose stored response is not the last one
the server acknowledged, and the app's CPU time per autosave (the gunicorn workers', from /proc). Cache and
sessions go to a redis-server started here when one is installed (the production shape). Targets (issues 5
and 19): p95 < 150 ms, no lost answer, <= 5 ms of CPU per autosave. Traffic goes to 127.0.0.1
only; every loop is bounded. Note: `.ci/with-postgres` runs PostgreSQL with fsync off (a throwaway
cluster), so commits are cheaper than on a durable production server.
"""

import argparse
import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parents[2]
PREFIX = "bench-autosave"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(*, learners: int, items: int) -> list[dict]:
    """Bank, test, learners with open attempts and sessions; returns what each simulated learner needs."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from wagtail.models import Locale

    from assessments import services
    from assessments.models import Assessment, AssessmentItem, Attempt

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--reference-only", verbosity=0)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    entries = [
        {
            "key": f"{PREFIX}-{number}", "kind": "single", "title": f"Bench {number}", "prompt": f"<p>Item {number}</p>",
            "points": 1, "module": 1 + number % 8,
            "data": {"options": [{"key": key, "text": f"Option {key}"} for key in "abcd"], "correct": "a"},
        }
        for number in range(items)
    ]
    questions = services.question_bank_load(entries={"en": entries}, locales=locales)
    test, _ = Assessment.objects.update_or_create(
        slug=PREFIX, defaults={"title_en": "Autosave benchmark", "purpose": "pre", "published": True, "max_attempts": 0}
    )
    Attempt.objects.filter(assessment=test).delete()
    AssessmentItem.objects.filter(assessment=test).delete()
    AssessmentItem.objects.bulk_create(
        AssessmentItem(assessment=test, question_key=question.translation_key, position=position)
        for position, question in enumerate(questions)
    )
    plan = []
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path.lower())
    for number in range(learners):
        user, _ = User.objects.get_or_create(username=f"{PREFIX}-{number:03d}")
        attempt = services.attempt_start(user=user, assessment=test, language="en")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked in the header
        plan.append({
            "attempt": attempt.pk,
            "positions": list(range(1, items + 1)),
            "cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
            "csrf": csrf,
        })
    return plan


def learner(port: int, plan: dict, think: tuple, seed: int, timings: list, refused: list, acknowledged: dict, lock):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    path = f"/en/tests/attempt/{plan['attempt']}/save/"
    headers = {
        "Cookie": plan["cookie"], "X-CSRFToken": plan["csrf"], "Referer": f"http://127.0.0.1:{port}/",
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
    }
    order = plan["positions"][:]
    rng.shuffle(order)
    order += rng.sample(order, max(1, len(order) // 5))  # change about one answer in five
    time.sleep(rng.uniform(0, think[1]))  # learners do not start in the same millisecond
    for position in order:
        time.sleep(rng.uniform(*think))
        choice = rng.choice("abcd")
        body = urlencode({"position": position, f"q{position}": choice})
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = f"{type(error).__name__}"
        elapsed = time.perf_counter() - start
        with lock:
            if status == 200:
                timings.append(elapsed)
                acknowledged[(plan["attempt"], position)] = choice
            else:
                refused.append(status)
    conn.close()


def warm(port: int, plan: dict, *, count: int) -> None:
    """Let every worker open its database connection and load the code of an autosave before the clock
    starts: one new connection per request, so they spread over the workers."""
    headers = {
        "Cookie": plan["cookie"], "X-CSRFToken": plan["csrf"], "Content-Type": "application/x-www-form-urlencoded",
    }
    with ThreadPoolExecutor(8) as pool:
        for _ in range(count):
            pool.submit(_warm_one, port, f"/en/tests/attempt/{plan['attempt']}/save/", headers)


def _warm_one(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, body="position=1&q1=a", headers=headers)
    conn.getresponse().read()
    conn.close()


def worker_cpu_seconds(master_pid: int) -> float:
    """User + system CPU seconds of the gunicorn workers (the master's children), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # field 4 (ppid), after the command name
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def start_redis() -> subprocess.Popen | None:
    """The production shape: cache and sessions in Redis shared by the workers (when redis-server is installed)."""
    import shutil

    redis_server = shutil.which("redis-server")
    if not redis_server or os.environ.get("REDIS_URL"):
        return None
    port = free_port()
    process = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    for _attempt in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--think", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--access-log", default="", help="write each request's server time here (seconds)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("needs PostgreSQL: .ci/with-postgres .venv/bin/python tests/bench/bench_autosave.py")

    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    redis = start_redis()
    print(f"cache and sessions: {'Redis' if os.environ.get('REDIS_URL') else 'per-process memory + database (no redis-server)'}")
    import django

    django.setup()
    from django.db import connections

    from assessments.models import Answer

    started = time.perf_counter()
    plan = prepare(learners=args.learners, items=args.items)
    print(f"prepared {args.learners} learners with a started {args.items}-item attempt in {time.perf_counter() - started:.1f} s")
    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "--preload", "--workers", str(args.workers),
         "--worker-class", "gthread", "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
         "--backlog", "1024", "--keep-alive", "75", "--log-level", "warning",
         *(["--access-logfile", args.access_log, "--access-logformat", "%(L)s %(s)s"] if args.access_log else [])],
        cwd=BASE_DIR, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.bench.settings"},
    )
    timings, refused, acknowledged, lock = [], [], {}, threading.Lock()
    try:
        for _attempt in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        warm(port, plan[0], count=args.workers * args.threads * 2)
        cpu_before = worker_cpu_seconds(server.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.learners) as pool:
            for number, entry in enumerate(plan):
                pool.submit(learner, port, entry, tuple(args.think), number, timings, refused, acknowledged, lock)
        elapsed = time.perf_counter() - started
        cpu = worker_cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=20)
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)

    stored = {
        (attempt, position): response
        for attempt, position, response in Answer.objects.filter(attempt_id__in=[entry["attempt"] for entry in plan])
        .values_list("attempt_id", "position", "response")
    }
    lost = sum(1 for key, choice in acknowledged.items() if stored.get(key) != choice)
    unanswered = sum(1 for response in stored.values() if response is None)
    timings.sort()

    def percentile(share):
        return timings[min(len(timings) - 1, int(len(timings) * share))] * 1000 if timings else float("nan")

    offered = args.learners / statistics.fmean(args.think)
    print(f"offered load             {offered:>8.1f}/s (each learner saves every {statistics.fmean(args.think):.0f} s on average)")
    print(f"autosaves acknowledged   {len(timings):>8}   in {elapsed:.0f} s ({len(timings) / elapsed:.1f}/s)")
    print(f"refused or failed        {len(refused):>8}   {sorted(set(map(str, refused)))}")
    print(f"latency p50 / p95 / p99  {percentile(0.5):>8.1f} / {percentile(0.95):.1f} / {percentile(0.99):.1f} ms"
          f"   (mean {statistics.fmean(timings) * 1000 if timings else float('nan'):.1f} ms)")
    per_save = 1000 * cpu / max(1, len(timings) + len(refused))
    print(f"app CPU per autosave     {per_save:>8.2f} ms (gunicorn workers; about {1000 / per_save if per_save else 0:.0f}/s per core)")
    print(f"lost answers             {lost:>8}   (stored response differs from the last one acknowledged)")
    print(f"items left unanswered    {unanswered:>8}")
    met = timings and percentile(0.95) < 150 and lost == 0 and not refused
    print(f"target p95 < 150 ms and no lost answer: {'met' if met else 'NOT met'}")
    print(f"target <= 5 ms of app CPU per autosave: {'met' if per_save <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
