"""The fake provider API and the checks every connector's tests share (stdlib only).

A connector's test class mixes in ConnectorCase and sets `slug`, `env` (fake PROVIDER_* keys,
all containing FAKE_KEY), `auth` (the header every request must carry) and `args` (the
arguments each operation is called with by the shared error tests). Its own tests are
`test_<op>_ok` (the answer and the request) and `test_<op>_4xx...` for every operation; the
shared tests below run a 401, a 403, the provider's rate limit, a bare 429, its 5xx and a bare
502 against every operation, and fail when a manifest operation has no tests.

A recorded answer is recorded/<slug>/<name>.json: {"shape": where its form is documented,
"says": the provider's message the error must quote, "status", "headers", "body"}.
"""
import importlib.util
import json
import os
import socket
import sys
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ inside connectors/ or this folder
HERE = Path(__file__).resolve().parent
CONNECTORS = HERE.parents[3] / "connectors"  # from crates/sentinel-cli/tests/connectors_api
FAKE_KEY = "test-key"


def shipped():
    """Every folder of connectors/ with a manifest."""
    return sorted(p.name for p in CONNECTORS.iterdir() if (p / "manifest.yaml").is_file())


def operations(slug):
    """{operation: scope} from the manifest, read with a tiny reader (no YAML library)."""
    items, indent, inside = [], None, False
    for line in (CONNECTORS / slug / "manifest.yaml").read_text().splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if not line[0].isspace():  # a top-level key
            inside = text.startswith("operations:")
            continue
        depth = len(line) - len(line.lstrip())
        if inside and text.startswith("- ") and indent in (None, depth):
            indent, text, depth = depth, text[2:], depth + 2
            items.append({})
        if inside and indent is not None and depth == indent + 2 and ":" in text:
            key, _, value = text.partition(":")
            items[-1][key.strip()] = value.split(" #")[0].strip().strip("'\"")
    return {item["name"]: item["scope"] for item in items}


def recorded(slug, name):
    return json.loads((HERE / "recorded" / slug / f"{name}.json").read_text())


def load_service(slug):
    """connectors/<slug>/service.py as a module, imported with no environment and no network."""
    path = CONNECTORS / slug / "service.py"
    spec = importlib.util.spec_from_file_location(f"connector_{slug}", path)
    module = importlib.util.module_from_spec(spec)
    offline = mock.patch("urllib.request.urlopen", side_effect=AssertionError("import went online"))
    with mock.patch.dict(os.environ, {}, clear=True), offline:
        spec.loader.exec_module(module)
    return module


class Request:
    """One request the fake received."""

    def __init__(self, handler, body):
        url = urlsplit(handler.path)
        self.method, self.path, self.body = handler.command, url.path, body
        self.query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(url.query).items()}
        self.headers = {k.lower(): v for k, v in handler.headers.items()}

    def json(self):
        return json.loads(self.body)

    def form(self):
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


class FakeApi:
    """A provider's API on 127.0.0.1: answers each request with the next queued answer."""

    def __init__(self):
        self.answers, self.requests = [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                size = int(self.headers.get("Content-Length") or 0)
                fake.requests.append(Request(self, self.rfile.read(size)))
                out = fake.answers.pop(0) if fake.answers else {
                    "status": 599, "body": {"fake": "no recorded answer left for this request"}}
                body = out.get("body", "")
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(out["status"])
                for name, value in {"Content-Type": "application/json",
                                    **out.get("headers", {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

            def log_message(self, *args):  # keep the test output readable
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


_connect = socket.create_connection


def _local_only(address, *args, **kwargs):
    """socket.create_connection for 127.0.0.1 only: a fake key never goes to a real provider."""
    if address[0] not in ("127.0.0.1", "localhost"):
        raise OSError(f"the tests stay on 127.0.0.1 (asked for {address[0]})")
    return _connect(address, *args, **kwargs)


def closed_url():
    """A local URL nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def _echo(value, key):
    """The body with `key` appended to every string in it (a provider echoing the key)."""
    if isinstance(value, dict):
        return {k: _echo(v, key) for k, v in value.items()}
    if isinstance(value, list):
        return [_echo(v, key) for v in value]
    return f"{value} {key}" if isinstance(value, str) else value


class ConnectorCase:
    """The shared tests, mixed into one unittest.TestCase per connector."""

    slug = ""
    env = {}  # fake PROVIDER_* values
    auth = ("authorization", f"Bearer {FAKE_KEY}")  # on every request to the API
    args = {}  # {operation: keyword arguments} for the shared error tests
    before = ()  # answers every call needs first (Google's OAuth token)
    real_url = ""  # where the first operation goes with no GODCONFIG_*_API_BASE

    @classmethod
    def setUpClass(cls):
        cls.service = load_service(cls.slug)
        cls.ops = operations(cls.slug)
        cls.fake = FakeApi()
        cls.addClassCleanup(cls.fake.close)

    def setUp(self):
        self.fake.answers.clear()
        self.fake.requests.clear()
        self.base_var = f"GODCONFIG_{self.slug.upper()}_API_BASE"
        env = {self.base_var: self.fake.url, "NO_PROXY": "*", **self.env}
        for patch in (mock.patch.dict(os.environ, env, clear=True),
                      mock.patch("socket.create_connection", _local_only)):
            patch.start()
            self.addCleanup(patch.stop)

    # ---------------------------------------------------------------- helpers

    def answer(self, op, role):
        """The recorded answer `<op>.<role>` if there is one, else the connector's `<role>`."""
        folder = HERE / "recorded" / self.slug
        name = f"{op}.{role}" if (folder / f"{op}.{role}.json").is_file() else role
        return recorded(self.slug, name)

    def call(self, op, *answers, **kwargs):
        """Runs the operation against the fake answering `answers` (names or dicts)."""
        for a in [*self.before, *answers]:
            self.fake.answers.append(recorded(self.slug, a) if isinstance(a, str) else a)
        try:
            return getattr(self.service, op)(**(kwargs or self.args[op]))
        finally:  # one request per answer: none left over (and a missing one is a 599)
            self.assertEqual(self.fake.answers, [], f"{op} did not ask for every answer")

    def fails(self, op, answer, *parts, **kwargs):
        """Runs the operation, expects a RuntimeError saying every one of `parts`, returns it."""
        if isinstance(answer, str):
            answer = recorded(self.slug, answer)
        with self.assertRaises(RuntimeError) as caught:
            self.call(op, answer, **kwargs)
        message = str(caught.exception)
        for part in (f"HTTP {answer['status']}", answer.get("says", ""), *parts):
            self.assertIn(part, message)
        self.assertNotIn(FAKE_KEY, message)
        return message

    def sent(self, method, path, query=None, json_body=None, form=None):
        """The last request: its method, path, query, body and auth header; returns it."""
        req = self.fake.requests[-1]
        self.assertEqual((req.method, req.path), (method, path))
        self.assertEqual(req.query, query or {})
        if json_body is not None:
            self.assertEqual(req.json(), json_body)
        if form is not None:
            self.assertEqual(req.form(), form)
        if json_body is None and form is None:
            self.assertEqual(req.body, b"")
        self.assertEqual(req.headers.get(self.auth[0]), self.auth[1])
        return req

    # ---------------------------------------------------------- shared tests

    def test_every_operation_is_tested(self):
        names = dir(self)
        for op in self.ops:
            with self.subTest(op=op):
                self.assertIn(op, self.args, f"{self.slug}: no arguments for {op}")
                self.assertIn(f"test_{op}_ok", names, f"{self.slug}: {op} has no success test")
                self.assertTrue(any(n.startswith(f"test_{op}_4xx") for n in names),
                                f"{self.slug}: {op} has no 4xx test")
        self.assertEqual(set(self.args), set(self.ops), "args name only manifest operations")

    def test_401_says_to_store_a_new_key(self):
        op = next(iter(self.ops))
        self.fails(op, self.answer(op, "auth"), "sentinel vault set PROVIDER_")

    def test_403_names_the_operations_scope(self):
        for op, scope in self.ops.items():
            with self.subTest(op=op):
                self.fails(op, self.answer(op, "forbidden"), f"lacks the {scope} ")

    def test_rate_limit_says_how_long_to_wait(self):
        for op in self.ops:
            with self.subTest(op=op):
                answer = self.answer(op, "rate_limit")
                after = answer.get("headers", {}).get("Retry-After")
                self.fails(op, answer, f"wait {after} seconds" if after else "wait a few seconds")

    def test_bare_429_with_retry_after(self):
        for op in self.ops:
            with self.subTest(op=op):
                bare = {"status": 429, "headers": {"Retry-After": "7"}, "body": ""}
                self.fails(op, bare, "Too Many Requests", "rate limited; wait 7 seconds")

    def test_5xx_says_retry_later(self):
        for op in self.ops:
            with self.subTest(op=op):
                self.fails(op, self.answer(op, "server_error"), "failed; retry later")

    def test_bare_502_from_a_proxy(self):
        for op in self.ops:
            with self.subTest(op=op):
                html = {"status": 502, "headers": {"Content-Type": "text/html"},
                        "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}
                self.fails(op, html, "Bad Gateway", "failed; retry later")

    def test_a_key_echoed_back_is_hidden(self):
        op = next(iter(self.ops))
        answer = self.answer(op, "auth")
        key = self.auth[1].split()[-1]  # the value that authorised the request
        answer["body"], answer["says"] = _echo(answer["body"], key), ""
        self.assertIn("***", self.fails(op, answer))

    def test_unreachable_host(self):
        os.environ[self.base_var] = closed_url()
        op = next(iter(self.ops))
        with self.assertRaisesRegex(RuntimeError, "cannot reach http://127.0.0.1:") as caught:
            getattr(self.service, op)(**self.args[op])
        self.assertNotIn(FAKE_KEY, str(caught.exception))

    def test_real_url_without_the_variable(self):
        del os.environ[self.base_var]
        seen = []

        def offline(req, timeout):
            seen.append(req.full_url)
            raise urllib.error.URLError("offline")

        op = next(iter(self.ops))
        with mock.patch("urllib.request.urlopen", offline):
            with self.assertRaisesRegex(RuntimeError, "cannot reach .*offline"):
                getattr(self.service, op)(**self.args[op])
        self.assertTrue(seen[0].startswith(self.real_url), seen)
