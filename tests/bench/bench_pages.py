"""Serve the seeded site and a vanilla Wagtail project side by side, and print requests/s and the ratios.

    make demo            # once: a seeded db.sqlite3 (Ctrl+C after it serves)
    .venv/bin/python tests/bench/bench_pages.py [--duration 8] [--connections 16] [--rounds 3]
    .venv/bin/python tests/bench/bench_pages.py --profile [--requests 300]
    .venv/bin/python tests/bench/bench_pages.py --cpu [--only lesson] [--cprofile cumtime] [--compare-shell]

Pages: home, course, module and lesson for a logged-in trainee (Turkmen), the dashboard, and a bare Django
view (/healthz/) as the floor, all under gunicorn with 2 sync workers and this project's production
middleware (``tests/bench/settings.py``: DEBUG off, the seeded SQLite file, cached_db sessions). Beside it,
in the same run and served the same way: the welcome page of a project made by ``wagtail start`` (Wagtail
from the registry, in a virtual environment of its own under ``--vanilla-dir``, built on the first run and
reused after; ``DEBUG=False``). The load tool is wrk when it is installed (``apt-get install wrk``), else
this script's own keep-alive client. Goals (issue 19): lesson >= 1.3x the vanilla welcome page; course and
module >= 1x; dashboard >= 0.8x.

``--profile`` serves no HTTP: it runs lesson requests in this process and prints where the time goes:
each middleware (its own time), the session load, the user, routing (URL to page), the page's context,
template rendering, and the SQL reads and writes.

Traffic goes to 127.0.0.1 only; every loop is bounded in count or time.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
WORKERS = 2
GOALS = {"lesson": 1.3, "course": 1.0, "module": 1.0, "dashboard": 0.8}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen) -> None:
    for _attempt in range(300):
        if process.poll() is not None:
            sys.exit(f"the server on {port} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on {port}")


def login(port: int, username: str, password: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/tk/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = f"username={username}&password={password}&csrfmiddlewaretoken={token}"
    conn.request(
        "POST", "/tk/accounts/login/", body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
                 "Referer": f"http://127.0.0.1:{port}/tk/accounts/login/"},
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not session:
        sys.exit("login failed: run `make demo` first (demo accounts)")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie}"


# --- load ---------------------------------------------------------------------------------------------


def load_wrk(port: int, path: str, cookie: str, duration: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", f"http://127.0.0.1:{port}{path}"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    if "Non-2xx or 3xx responses" in output:
        sys.exit(f"{path}: wrk saw error responses\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def ms(label):
        match = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"rps": rps, "p50": ms(50), "p95": ms(90)}


def load_client(port: int, path: str, cookie: str, duration: int, connections: int) -> dict:
    deadline = time.perf_counter() + duration

    def worker(_index) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        timings = []
        while time.perf_counter() < deadline and len(timings) < 100_000:
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            timings.append(time.perf_counter() - start)
        return timings

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        timings = sorted(t for chunk in pool.map(worker, range(connections)) for t in chunk)
    elapsed = time.perf_counter() - started
    return {"rps": len(timings) / elapsed, "p50": statistics.median(timings) * 1000,
            "p95": timings[int(len(timings) * 0.95) - 1] * 1000}


def warm(port: int, path: str, cookie: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(20):
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}")


# --- the vanilla Wagtail project -------------------------------------------------------------------------


def vanilla_project(directory: Path) -> tuple[Path, Path]:
    """A `wagtail start` project in a virtual environment of its own (built once): (python, project dir)."""
    python = directory / "venv" / "bin" / "python"
    project = directory / "vanilla"
    if not (project / "db.sqlite3").exists():
        print(f"building the vanilla Wagtail project in {directory} (once) …", flush=True)
        directory.mkdir(parents=True, exist_ok=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(directory / "venv")], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "wagtail", "gunicorn"], check=True)
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        subprocess.run([str(directory / "venv" / "bin" / "wagtail"), "start", "vanilla", str(project)], check=True)
        (project / "vanilla" / "settings" / "bench.py").write_text(
            "from .base import *  # noqa\n\nDEBUG = False\nSECRET_KEY = 'bench-only'\nALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vanilla.settings.bench"}
        subprocess.run([str(python), "manage.py", "migrate", "--noinput", "-v0"], cwd=project, env=env, check=True)
    version = subprocess.run([str(python), "-c", "import wagtail; print(wagtail.__version__)"], capture_output=True, text=True).stdout.strip()
    print(f"vanilla project: Wagtail {version} from the registry, in {project}")
    return python, project


def serve(python: Path, cwd: Path, module: str, settings: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [str(python), "-m", "gunicorn", module, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=cwd, env={**os.environ, "DJANGO_SETTINGS_MODULE": settings},
    )
    wait_for(port, process)
    return process, port


# --- profile ------------------------------------------------------------------------------------------


def profile(requests: int) -> None:
    """Run lesson requests in this process and print where each one spends its time."""
    import django
    from django.core.handlers import base

    timings = defaultdict(float)
    order: list[str] = []
    real_import = base.import_string

    class Timed:
        def __init__(self, name, inner):
            self.name, self.inner = name, inner

        def __call__(self, request):
            start = time.perf_counter()
            try:
                return self.inner(request)
            finally:
                timings[f"mw:{self.name}"] += time.perf_counter() - start

        def __getattr__(self, attribute):
            return getattr(self.inner, attribute)

    def timed_import(path):
        target = real_import(path)
        if not path.startswith(("django.middleware", "django.contrib", "lms.", "courses.", "wagtail.", "whitenoise.", "axes.", "csp.")) or not isinstance(target, type):
            return target
        if path not in order:
            order.append(path)

        class Factory:
            sync_capable = getattr(target, "sync_capable", True)
            async_capable = False

            def __new__(cls, get_response):
                return Timed(path, target(get_response))

        return Factory

    base.import_string = timed_import
    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import Client
    from wagtail.models import Page

    from courses.models import LessonPage
    from lms.people import auth

    def timed(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timings[key] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    session_store = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"]).SessionStore
    timed(session_store, "load", "session load")
    timed(auth, "cached_user", "user")
    timed(base.BaseHandler, "_get_response", "view")
    timed(Template, "render", "rendering (templates)")
    timed(LessonPage, "get_context", "page context (progress, navigation, last visit)")
    timed(Page, "route", "routing (URL to page, cached)")
    from django.urls import resolvers

    timed(resolvers.URLResolver, "resolve", "routing (URLconf)")

    def sql(execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            kind = "SQL writes" if sql_text.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"} else "SQL reads"
            timings[kind] += time.perf_counter() - start
            timings[f"{kind} (count)"] += 1

    course_lesson = LessonPage.objects.filter(locale__language_code="tk", live=True).order_by("path").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="trainee"))
    for _ in range(20):
        assert client.get(course_lesson.url).status_code == 200
    timings.clear()
    with connection.execute_wrapper(sql):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(course_lesson.url)
        total = time.perf_counter() - started
    print(f"lesson {course_lesson.url}: {requests} requests in this process, {1000 * total / requests:.2f} ms each\n")
    print(f"{'part':<52}{'ms/request':>12}{'share':>8}")
    names = [name for name in settings.MIDDLEWARE if f"mw:{name}" in timings]
    for index, name in enumerate(names):
        inclusive = timings[f"mw:{name}"]
        inner = timings[f"mw:{names[index + 1]}"] if index + 1 < len(names) else timings["view"]
        own = inclusive - inner
        print(f"  middleware {name.rsplit('.', 1)[-1]:<41}{1000 * own / requests:>12.3f}{100 * own / total:>7.1f}%")
    view = timings["view"]
    print(f"  {'view (inside the middleware; process_view too)':<50}{1000 * view / requests:>12.3f}{100 * view / total:>7.1f}%")
    rest = total - timings[f"mw:{names[0]}"] if names else 0.0
    print(f"  {'test client and WSGI request (outside)':<50}{1000 * rest / requests:>12.3f}{100 * rest / total:>7.1f}%")
    for key in ("session load", "user", "routing (URLconf)", "routing (URL to page, cached)",
                "page context (progress, navigation, last visit)", "rendering (templates)", "SQL reads", "SQL writes"):
        count = timings.get(f"{key} (count)")
        label = f"{key} [{count / requests:.1f}/request]" if count is not None else key
        print(f"  - {label:<48}{1000 * timings[key] / requests:>12.3f}{100 * timings[key] / total:>7.1f}%")
    print("\n(the lines under '-' overlap the middleware and view lines: the session and user load lazily)")


# --- CPU in-process -----------------------------------------------------------------------------------

VANILLA_CPU = """
import os, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
for _ in range(20):
    assert client.get("/").status_code == 200
requests = int(sys.argv[1])
start = time.process_time()
for _ in range(requests):
    client.get("/")
cpu = time.process_time() - start
with CaptureQueriesContext(connection) as queries:
    client.get("/")
print(f"{1000 * cpu / requests:.3f} {len(queries)}")
"""


def autosave_attempt():
    """A started 30-item single-choice attempt of a bench learner (made once in the bench database)."""
    from django.contrib.auth.models import User
    from wagtail.models import Locale

    from assessments import services
    from assessments.models import Assessment, AssessmentItem

    prefix = "bench-cpu"
    test = Assessment.objects.filter(slug=prefix).first()
    if test is None:
        entries = [
            {"key": f"{prefix}-{number}", "kind": "single", "title": f"Bench {number}", "prompt": f"<p>Item {number}</p>",
             "points": 1, "module": 1 + number % 8,
             "data": {"options": [{"key": key, "text": f"Option {key}"} for key in "abcd"], "correct": "a"}}
            for number in range(30)
        ]
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        questions = services.question_bank_load(entries={"en": entries}, locales=locales)
        test = Assessment.objects.create(slug=prefix, title_en="CPU benchmark", purpose="pre", published=True, max_attempts=0)
        AssessmentItem.objects.bulk_create(
            AssessmentItem(assessment=test, question_key=question.translation_key, position=position)
            for position, question in enumerate(questions)
        )
    user, _created = User.objects.get_or_create(username=f"{prefix}-learner")
    return user, services.attempt_start(user=user, assessment=test, language="en")


def cpu(requests: int, vanilla_dir: Path, only: str = "", cprofile: str = "", compare_shell: bool = False) -> None:
    """CPU time per warm request in this process (the Django test client; no HTTP, no other process's load
    counted), for each page, an autosave and, run the same way by its own interpreter, the vanilla welcome page."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.filter(locale__language_code="tk", live=True).first()
    module = ModulePage.objects.child_of(course).live().first()
    lesson = LessonPage.objects.child_of(module).live().first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="trainee"))
    learner, attempt = autosave_attempt()
    saver = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    saver.force_login(learner)
    saver.get(f"/en/tests/attempt/{attempt.pk}/")
    token = saver.cookies["csrftoken"].value if "csrftoken" in saver.cookies else ""
    counter = iter(range(10**9))

    def save():
        number = next(counter)
        position = 1 + number % 30
        # form-encoded, as the page's script (URLSearchParams) and bench_autosave.py post it
        return saver.post(f"/en/tests/attempt/{attempt.pk}/save/", f"position={position}&q{position}={'abcd'[number % 4]}",
                          content_type="application/x-www-form-urlencoded", HTTP_X_CSRFTOKEN=token,
                          HTTP_ACCEPT="application/json")

    pages = {"bare view (/healthz/)": lambda: client.get("/healthz/"), "home": lambda: client.get("/tk/"),
             "dashboard": lambda: client.get("/tk/dashboard/"), "course": lambda: client.get(course.url),
             "module": lambda: client.get(module.url), "lesson": lambda: client.get(lesson.url), "autosave": save}
    if only:
        pages = {name: call for name, call in pages.items() if name == only}
    results = {}
    vanilla_python = vanilla_dir / "venv" / "bin" / "python"
    if not only and not compare_shell and vanilla_python.exists():
        output = subprocess.run(
            [str(vanilla_python), "-c", VANILLA_CPU, str(requests)], cwd=vanilla_dir / "vanilla", capture_output=True,
            text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "vanilla.settings.bench"}, check=True,
        ).stdout.split()
        results["vanilla Wagtail welcome page"] = (float(output[0]), int(output[1]))
    if compare_shell:
        from lms.templatetags import site_tags

        cached_key = site_tags._header_key
        print(f"{'page':<32}{'shell rendered ms':>18}{'shell cached ms':>17}   (CPU, {requests} requests each, interleaved)")
        for name, call in pages.items():
            spent = {False: 0.0, True: 0.0}
            for _ in range(20):
                call()
            for chunk in range(8):
                cached = chunk % 2 == 1
                site_tags._header_key = cached_key if cached else (lambda context: None)
                start = time.process_time()
                for _ in range(requests // 4):
                    call()
                spent[cached] += time.process_time() - start
            site_tags._header_key = cached_key
            print(f"{name:<32}{1000 * spent[False] / requests:>18.2f}{1000 * spent[True] / requests:>17.2f}")
        return
    for name, call in pages.items():
        for _ in range(20):
            response = call()
            assert response.status_code == 200, (name, response.status_code)
        if cprofile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        start = time.process_time()
        for _ in range(requests):
            call()
        spent = time.process_time() - start
        if cprofile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(cprofile).print_stats(40)
        with CaptureQueriesContext(connection) as queries:
            call()
        results[name] = (1000 * spent / requests, len(queries))
    print(f"load average {os.getloadavg()[0]:.2f}; {requests} warm requests each, in this process (CPU, the test client)")
    reference = results.get("vanilla Wagtail welcome page", (None,))[0]
    print(f"{'page':<32}{'CPU ms':>8}{'queries':>9}{'vanilla/page':>14}{'goal':>7}")
    for name, (spent, count) in results.items():
        ratio = f"{reference / spent:.2f}" if reference and name != "autosave" else ""
        goal = f">={GOALS[name]}" if name in GOALS else "<=5 ms" if name == "autosave" else ""
        print(f"{name:<32}{spent:>8.2f}{count:>9}{ratio:>14}{goal:>7}")


# --- main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--client", choices=["auto", "wrk", "own"], default="auto")
    parser.add_argument("--vanilla-dir", type=Path, default=Path("/tmp/lms-bench-vanilla-wagtail"))
    parser.add_argument("--no-vanilla", action="store_true", help="skip the vanilla Wagtail project")
    parser.add_argument("--profile", action="store_true", help="print where a lesson request spends its time")
    parser.add_argument("--requests", type=int, default=300, help="lesson requests for --profile (for --cpu: 200)")
    parser.add_argument("--cpu", action="store_true", help="CPU per warm request in this process, each page and the vanilla one")
    parser.add_argument("--only", default="", help="with --cpu: one page (home, dashboard, lesson, autosave ...)")
    parser.add_argument("--compare-shell", action="store_true",
                        help="with --cpu: each page with the header rendered and from the cache, interleaved")
    parser.add_argument("--cprofile", default="", help="with --cpu: print a cProfile of each page sorted by this key")
    args = parser.parse_args()
    if not (BASE_DIR / "db.sqlite3").exists():
        sys.exit("no db.sqlite3: run `make demo` first")
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    if args.profile:
        profile(args.requests)
        return
    if args.cpu:
        cpu(200 if args.requests == 300 else args.requests, args.vanilla_dir, args.only, args.cprofile, args.compare_shell)
        return

    import django

    django.setup()
    from courses.models import CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.filter(locale__language_code="tk", live=True).first()
    module = ModulePage.objects.child_of(course).live().first()
    lesson = LessonPage.objects.child_of(module).live().first()
    paths = {"bare view (/healthz/)": "/healthz/", "home": "/tk/", "dashboard": "/tk/dashboard/",
             "course": course.url, "module": module.url, "lesson": lesson.url}
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    load = load_wrk if use_wrk else load_client
    print(f"load: {'wrk' if use_wrk else 'own client'}, {args.connections} connections, {args.duration} s per page and round; "
          f"gunicorn, {WORKERS} sync workers; load average before: {os.getloadavg()[0]:.2f}")

    servers = []
    results: dict[str, list[dict]] = defaultdict(list)
    try:
        redis_server = shutil.which("redis-server")
        if redis_server and not os.environ.get("REDIS_URL"):
            # the production shape: cache (sessions, user, navigation) in Redis, shared by the workers
            redis_port = free_port()
            servers.append(subprocess.Popen([redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                             "--appendonly", "no", "--logfile", "/tmp/lms-bench-redis.log"]))
            wait_for(redis_port, servers[-1])
            os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        print(f"cache: {'Redis' if os.environ.get('REDIS_URL') else 'per-process memory (no redis-server)'}")
        ours, port = serve(Path(sys.executable), BASE_DIR, "lms.wsgi", "tests.bench.settings")
        servers.append(ours)
        cookie = login(port, "trainee", os.environ.get("DEMO_PASSWORD", "tot-demo-2026"))
        vanilla_port = None
        if not args.no_vanilla:
            python, project = vanilla_project(args.vanilla_dir)
            vanilla, vanilla_port = serve(python, project, "vanilla.wsgi", "vanilla.settings.bench")
            servers.append(vanilla)
            warm(vanilla_port, "/", "")
        for name, path in paths.items():
            warm(port, path, "" if name.startswith("bare") else cookie)
        for _round in range(args.rounds):
            if vanilla_port:
                results["vanilla Wagtail welcome page"].append(load(vanilla_port, "/", "", args.duration, args.connections))
            for name, path in paths.items():
                results[name].append(load(port, path, "" if name.startswith("bare") else cookie, args.duration, args.connections))
    finally:
        for server in reversed(servers):  # the app servers before the Redis they use
            server.terminate()
            server.wait(timeout=10)

    print(f"\nload average after: {os.getloadavg()[0]:.2f}\n")
    reference = results.get("vanilla Wagtail welcome page")
    print(f"{'page':<30}{'req/s (min - max)':>22}{'p50 ms':>9}{'p90 ms':>9}{'x vanilla':>16}{'goal':>7}")
    for name, rounds in results.items():
        rps = [figures["rps"] for figures in rounds]
        ratio = ""
        if reference:
            ratios = [mine["rps"] / theirs["rps"] for mine, theirs in zip(rounds, reference)]
            ratio = f"{min(ratios):.2f} - {max(ratios):.2f}"
        goal = f">={GOALS[name]}" if name in GOALS else ""
        print(f"{name:<30}{min(rps):>10,.0f} - {max(rps):>7,.0f}{statistics.median(r['p50'] for r in rounds):>9.1f}"
              f"{statistics.median(r['p95'] for r in rounds):>9.1f}{ratio:>16}{goal:>7}")
    if reference:
        print()
        for name, goal in GOALS.items():
            ratios = [mine["rps"] / theirs["rps"] for mine, theirs in zip(results[name], reference)]
            verdict = "met" if statistics.median(ratios) >= goal else "NOT met"
            print(f"{name}: median {statistics.median(ratios):.2f}x the vanilla welcome page (goal >= {goal}x): {verdict}")


if __name__ == "__main__":
    main()
