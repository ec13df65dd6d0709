"""Serve the seeded site with gunicorn (2 workers) and print requests/s and p50/p95 latency.

    make demo            # once: a seeded db.sqlite3 (Ctrl+C after it serves)
    .venv/bin/python tests/bench/bench_pages.py [--requests 300] [--concurrency 4]

Pages: home, course, module and lesson for a logged-in trainee (Turkmen), next to a bare Django view
(/healthz/, the same middleware and server) as the floor. Target (issue 3): the lesson page reaches at
least 10% of the bare view's requests/s in the same run. Traffic goes to 127.0.0.1 only; every loop is
bounded in count.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def measure(port: int, path: str, cookie: str, requests: int, concurrency: int) -> dict:
    def worker(count: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        timings = []
        for _ in range(count):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status}")
            timings.append(time.perf_counter() - start)
        return timings

    per_worker = max(1, requests // concurrency)
    worker(min(10, per_worker))  # warm caches
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        timings = [t for chunk in pool.map(worker, [per_worker] * concurrency) for t in chunk]
    elapsed = time.perf_counter() - started
    timings.sort()
    return {
        "rps": len(timings) / elapsed,
        "p50": statistics.median(timings) * 1000,
        "p95": timings[int(len(timings) * 0.95) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    if not (BASE_DIR / "db.sqlite3").exists():
        sys.exit("no db.sqlite3: run `make demo` first")

    sys.path.insert(0, str(BASE_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    import django

    django.setup()
    from courses.models import CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.filter(locale__language_code="tk", live=True).first()
    module = ModulePage.objects.child_of(course).live().first()
    lesson = LessonPage.objects.child_of(module).live().first()
    paths = {"bare view (/healthz/)": "/healthz/", "home": "/tk/", "course": course.url,
             "module": module.url, "lesson": lesson.url}

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=BASE_DIR, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.bench.settings"},
    )
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        cookie = login(port, "trainee", os.environ.get("DEMO_PASSWORD", "tot-demo-2026"))
        results = {name: measure(port, path, "" if name.startswith("bare") else cookie, args.requests, args.concurrency)
                   for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=10)

    floor = results["bare view (/healthz/)"]["rps"]
    print(f"{'page':<24}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'% of bare':>12}")
    for name, figures in results.items():
        print(f"{name:<24}{figures['rps']:>10.1f}{figures['p50']:>10.1f}{figures['p95']:>10.1f}"
              f"{100 * figures['rps'] / floor:>11.1f}%")
    share = 100 * results["lesson"]["rps"] / floor
    print(f"\nlesson page for a logged-in trainee: {share:.1f}% of the bare view (target: at least 10%)")


if __name__ == "__main__":
    main()
