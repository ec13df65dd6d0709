"""Two app servers behind nginx, proven: a learner's requests alternate between two gunicorn nodes and
nothing they do depends on which node answers.

Started here, on loopback, like production (README "Production shape"): PostgreSQL (a throwaway cluster, as
``.ci/with-postgres`` starts one, or a fresh database in the cluster of the PostgreSQL run), Debian's
``redis-server`` (cache, sessions, rate limits, permission cache), two gunicorn nodes with production
settings and separate local state (their own temporary and cache folders), one shared MEDIA_ROOT and
PACKAGES_ROOT (the storage both nodes share), and Debian's ``nginx`` with a round-robin upstream. nginx
names the node of each answer (``X-Upstream``), so the test sees the alternation.

Mandatory where ``CI`` is set (``.ci/run`` installs nginx and redis-server); elsewhere, without them, it is
skipped with a note.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.two_nodes

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "two-nodes-" + secrets.token_hex(6)
RATE_LIMIT = 12


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the two-node test is mandatory in CI (.ci/run installs what it needs)")
    pytest.skip(f"NOTE: {reason}: the two-node test is skipped here")


def postgres_bindir() -> Path | None:
    dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    for directory in dirs:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {seconds} s")


class Postgres:
    """A database for the test: in the running cluster of the PostgreSQL run, or a throwaway cluster."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.cluster = None
        self.run_as: list[str] = []

    def start(self) -> str:
        import psycopg

        url = os.environ.get("DATABASE_URL", "")
        name = f"two_nodes_{uuid.uuid4().hex[:8]}"
        if url.startswith("postgres"):
            base = url.rsplit("/", 1)[0]
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            self.drop = (url, name)
            return f"{base}/{name}"
        bindir = postgres_bindir()
        if bindir is None:
            unavailable("PostgreSQL is not installed")
        # a folder of its own (as .ci/with-postgres makes), owned by the server's user when we are root
        self.cluster = Path(tempfile.mkdtemp(prefix="lms-two-nodes-pg-"))
        if os.getuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"], check=True)
            shutil.chown(self.cluster, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        port = free_port()
        self.bindir = bindir
        subprocess.run([*self.run_as, str(bindir / "initdb"), "-D", str(self.cluster / "data"), "-U", "lms", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        subprocess.run([*self.run_as, str(bindir / "pg_ctl"), "-D", str(self.cluster / "data"), "-l", str(self.cluster / "log"), "-w",
                        "-o", f"-h 127.0.0.1 -p {port} -k {self.cluster} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                        "start"], check=True, capture_output=True)
        subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "lms", "lms"], check=True)
        self.drop = None
        return f"postgres://lms@127.0.0.1:{port}/lms"

    def stop(self) -> None:
        if self.cluster is not None:
            subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.cluster / "data"), "-m", "immediate", "stop"],
                           capture_output=True)
            shutil.rmtree(self.cluster, ignore_errors=True)
        elif getattr(self, "drop", None):
            import psycopg

            url, name = self.drop
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


NGINX_CONF = """
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 20m;
    upstream lms {{
        server 127.0.0.1:{node_a};
        server 127.0.0.1:{node_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lms;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


class Cluster:
    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="lms-two-nodes-"))
        self.processes: list[subprocess.Popen] = []
        self.postgres = Postgres(self.workdir)

    def env(self, node: str | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CACHE_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.deploy.settings",
            "DJANGO_SECRET_KEY": self.secret,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.database_url,
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(self.workdir / "shared" / "media"),
            "PACKAGES_ROOT": str(self.workdir / "shared" / "packages"),
            "H5P_RATE_LIMIT": str(RATE_LIMIT),
            "TWO_NODES_PASSWORD": PASSWORD,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
        })
        if node:
            local = self.workdir / node
            (local / "tmp").mkdir(parents=True, exist_ok=True)
            env.update({"TMPDIR": str(local / "tmp"), "CACHE_DIR": str(local / "cache")})
        return env

    def start(self) -> None:
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        redis_server = shutil.which("redis-server")
        for name, found in (("nginx", nginx), ("redis-server", redis_server)):
            if not found:
                unavailable(f"{name} is not installed (apt-get install nginx redis-server)")
        try:
            import gunicorn  # noqa: F401
            import redis  # noqa: F401
        except ImportError as error:
            unavailable(f"{error.name} is not installed in this environment")
        self.secret = secrets.token_urlsafe(50)
        self.database_url = self.postgres.start()

        redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        self.spawn([redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", str(self.workdir)], "redis-server", redis_port)

        (self.workdir / "shared" / "media").mkdir(parents=True)
        (self.workdir / "shared" / "packages").mkdir(parents=True)
        # migrate and seed in one process (one start of Django)
        seeded = subprocess.run([sys.executable, str(BASE_DIR / "tests" / "deploy" / "seed.py")], cwd=BASE_DIR,
                                env=self.env("seed"), capture_output=True, text=True, timeout=300)
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        self.data = json.loads(seeded.stdout.strip().splitlines()[-1])
        print("two nodes: migrate and seed took", self.data["timings"])

        self.nodes = {}
        for node in ("a", "b"):
            port = free_port()
            self.spawn([sys.executable, "-m", "gunicorn", "lms.wsgi", "--workers", "1", "--threads", "4",
                        "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], f"node {node}", port, env=self.env(node))
            self.nodes[f"127.0.0.1:{port}"] = node

        prefix = self.workdir / "nginx"
        prefix.mkdir()
        self.port = free_port()
        node_a, node_b = (address.split(":")[1] for address in self.nodes)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user="user root;" if os.getuid() == 0 else "", prefix=prefix, node_a=node_a,
                                          node_b=node_b, port=self.port))
        self.spawn([nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], "nginx", self.port)

    def spawn(self, command, what, port, env=None):
        log = open(self.workdir / f"{what.replace(' ', '-')}.log", "wb")
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env or self.env(), stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        wait_for_port(port, process, what)

    def manage(self, *args, node="a"):
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env(node),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        return result.stdout

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.postgres.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-1500:]}" for path in self.workdir.glob("*.log"))


class Browser:
    """One person's browser: a cookie jar and a keep-alive connection to nginx; remembers which node answered."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.cookies: dict[str, str] = {}
        self.nodes: list[str] = []

    def request(self, method, path, *, form=None, json_body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.cluster.port, timeout=60)
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if method == "POST":
            headers.setdefault("X-CSRFToken", self.cookies.get("csrftoken", ""))
            headers.setdefault("Referer", f"http://127.0.0.1:{self.cluster.port}/")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Host"] = "127.0.0.1"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", errors="replace")
        conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        self.nodes.append(self.cluster.nodes.get(response.getheader("X-Upstream", ""), "?"))
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def login(self, username):
        page = self.get("/tk/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.post("/tk/accounts/login/", form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
    except BaseException:
        print(cluster.logs())
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


def alternate(browser: Browser, count: int) -> None:
    """The last ``count`` answers came from both nodes, one after the other."""
    recent = browser.nodes[-count:]
    assert set(recent) == {"a", "b"}, recent
    assert all(first != second for first, second in zip(recent, recent[1:])), recent


def test_a_learner_moves_between_the_nodes_without_noticing(cluster):
    data = cluster.data
    learner = Browser(cluster)

    # login: the form from one node, the post to the other; the session then holds on both
    assert learner.login("walker").status == 302
    for _ in range(4):
        dashboard = learner.get("/tk/dashboard/")
        assert dashboard.status == 200
        assert "walker" in dashboard.text or 'data-menu=' in dashboard.text
    alternate(learner, 6)

    # lesson progress: marked done on one node, shown done on the other (and on the first again)
    assert learner.post(data["done_url"]).status == 302
    for _ in range(2):
        lesson = learner.get(data["lesson_url"])
        assert lesson.status == 200
        assert data["undone_url"] in lesson.text
    alternate(learner, 3)

    # autosaved answers: each save on the other node than the one before; the last one is what is kept
    for index in range(6):
        option = data["options"][index % len(data["options"])]
        saved = learner.post(data["autosave_url"], form={"position": data["position"], f"q{data['position']}": option})
        assert saved.status == 200, saved.text
    alternate(learner, 6)
    take = learner.get(f"/en/tests/attempt/{data['attempt_id']}/")
    assert take.status == 200
    last = data["options"][5 % len(data["options"])]
    assert re.search(rf'name="q{data["position"]}" value="{last}"[^>]*checked', take.text), "the last autosave is not what the page shows"

    # H5P state: saved on one node, handed back to the player by the other
    state = json.dumps({"answers": [2, 1, 0], "node": "either"})
    payload = {"lesson": data["activity_lesson_id"], "package": data["package_id"], "state": state}
    assert learner.post(data["state_url"], json_body=payload).status == 200
    for _ in range(2):
        player = learner.get(data["player_url"])
        assert player.status == 200
        options = json.loads(player.text.split('id="h5p-options" type="application/json">')[1].split("</script>")[0])
        assert options["contentUserData"] == [{"state": state}]
    alternate(learner, 3)


def test_rate_limits_are_counted_across_the_nodes(cluster):
    data = cluster.data
    learner = Browser(cluster)
    assert learner.login("walker").status == 302
    payload = {"lesson": data["activity_lesson_id"], "package": data["package_id"], "state": json.dumps({"n": 1})}
    statuses = [learner.post(data["state_url"], json_body=payload).status for _ in range(RATE_LIMIT + 2)]
    alternate(learner, RATE_LIMIT + 2)
    # the previous test spent one report of this minute, unless the minute turned since
    assert statuses.count(429) in (2, 3), statuses
    assert set(statuses) == {200, 429}
    assert statuses[-1] == 429


def test_a_page_published_on_one_node_is_fresh_on_the_other_at_once(cluster):
    data = cluster.data
    learner = Browser(cluster)
    assert learner.login("walker").status == 302
    for _ in range(2):  # both nodes have the lesson (route, body) in the cache
        assert data["lesson_text"] in learner.get(data["lesson_url"]).text
    script = (
        "from courses.models import LessonPage\n"
        f"lesson = LessonPage.objects.get(pk={data['lesson_id']})\n"
        "for block in lesson.body:\n"
        "    if block.block_type == 'text':\n"
        "        block.value = block.block.to_python('<p>Published on node A.</p>')\n"
        "        break\n"
        "lesson.save_revision().publish()\n"
    )
    cluster.manage("shell", "-c", script, node="a")
    for _ in range(2):
        html = learner.get(data["lesson_url"]).text
        assert "Published on node A." in html
        assert data["lesson_text"] not in html
    alternate(learner, 2)


def test_an_upload_on_one_node_is_served_by_the_other(cluster):
    editor = Browser(cluster)
    assert editor.login("editor").status == 302
    form_page = editor.get("/admin/documents/add/")
    assert form_page.status == 200, form_page.status
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text).group(1)
    boundary = "----two-nodes-" + secrets.token_hex(8)
    content = b"Shared storage: written by one node, read by the other.\n"
    parts = []
    for name, value in (("csrfmiddlewaretoken", token), ("title", "Two nodes"), ("collection", "1"), ("tags", "")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="two-nodes.txt"\r\n'
                 f"Content-Type: text/plain\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=60)
    conn.request("POST", "/admin/documents/add/", body=b"".join(parts), headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Host": "127.0.0.1",
        "Cookie": "; ".join(f"{k}={v}" for k, v in editor.cookies.items()),
        "Referer": f"http://127.0.0.1:{cluster.port}/admin/documents/add/",
    })
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    stored = list((cluster.workdir / "shared" / "media").rglob("two-nodes*.txt"))
    assert len(stored) == 1
    listing = editor.get("/admin/documents/?q=Two+nodes")
    url = re.search(r'href="(/documents/\d+/two-nodes[^"]*\.txt)"', listing.text) or re.search(r'(/documents/\d+/[^"]+)"', listing.text)
    assert url, "the new document is not listed"
    for _ in range(2):
        served = editor.get(url.group(1))
        assert served.status == 200
        assert served.text.encode() == content
    alternate(editor, 2)
