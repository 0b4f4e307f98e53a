"""Two gunicorn instances on 127.0.0.1 sharing one database and one Redis behave as one: a session,
a quiz attempt and a rate limit made through one are seen through the other."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from learn.config import PROJECT_ROOT
from tests import factories
from tests.conftest import FIXTURE_CONTENT, TEST_REDIS_URL

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TICKET = re.compile(r'name="ticket" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def open(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=20) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(), dict(err.headers)


def instance_env(database_url: str, tmp_path, **settings) -> dict:
    """The environment of an instance in production mode on this test's database."""
    return {
        **os.environ,
        "LEARN_ENV": "production",
        "LEARN_HTTPS": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "LEARN_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LEARN_INSTANCE_PATH": str(tmp_path / "instance"),
        "LEARN_LOG_LEVEL": "WARNING",
        **settings,
    }


@contextlib.contextmanager
def serving(env: dict, count: int = 2):
    """`count` instances of `learn serve` (one worker each) on 127.0.0.1; yields their URLs."""
    servers, bases = [], []
    try:
        for _ in range(count):
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-c",
                        "from learn.cli import main; main()",
                        "serve",
                        "--port",
                        str(port),
                        "--workers",
                        "1",
                    ],
                    env=env,
                    cwd=PROJECT_ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/ping", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"instance at {base} did not start")
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


@pytest.fixture
def two_instances(database_url, tmp_path):
    if not TEST_REDIS_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must give TEST_REDIS_URL: rate limits are shared through Redis")
        pytest.skip("set TEST_REDIS_URL (a Redis for tests) to run the two-instance test")
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    env = instance_env(
        database_url, tmp_path, REDIS_URL=TEST_REDIS_URL, LEARN_LOGIN_LIMIT_ACCOUNT="3 per minute"
    )
    with serving(env) as bases:
        yield bases


@pytest.fixture
def people(app):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    factories.user(session, org, username="shared.learner", display_name="Shared Learner")
    factories.user(session, org, username="limited.learner")
    session.commit()
    session.close()


def sign_in(browser: Browser, base: str, username: str, password: str = factories.PASSWORD):
    _status, page, _headers = browser.open(base + "/sign-in")
    token = CSRF.search(page).group(1)
    return browser.open(
        base + "/sign-in", {"username": username, "password": password, "csrf_token": token}
    )


def test_two_instances_behave_as_one(two_instances, people):
    first, second = two_instances
    browser = Browser()

    # A session made through the first instance works on the second.
    status, _page, _headers = sign_in(browser, first, "shared.learner")
    assert status == 302
    status, page, _headers = browser.open(second + "/dashboard")
    assert status == 200 and "Shared Learner" in page

    # A quiz opened on the second instance, sent to the first, is seen on the second.
    status, page, _headers = browser.open(second + "/modules/ecoute-1/quiz")
    ticket, token = TICKET.search(page).group(1), CSRF.search(page).group(1)
    status, _page, headers = browser.open(
        first + "/modules/ecoute-1/quiz", {"csrf_token": token, "ticket": ticket, "q-q1": "b"}
    )
    assert status == 302 and "/attempts/" in headers["Location"]
    attempt_path = urllib.parse.urlsplit(headers["Location"]).path
    status, page, _headers = browser.open(second + attempt_path)
    assert status == 200 and re.search(r"bonnes? réponses? sur 3", page)  # French: 0 and 1 singular
    # The same form sent again to the second instance records nothing more.
    status, _page, again = browser.open(
        second + "/modules/ecoute-1/quiz", {"csrf_token": token, "ticket": ticket, "q-q1": "b"}
    )
    assert urllib.parse.urlsplit(again["Location"]).path == attempt_path

    # A rate limit counted on both instances: 3 attempts per account and minute.
    codes = [
        sign_in(Browser(), base, "limited.learner", "wrong-password")[0]
        for base in (first, second, first)
    ]
    assert codes == [400, 400, 400]
    assert sign_in(Browser(), second, "limited.learner")[0] == 429
