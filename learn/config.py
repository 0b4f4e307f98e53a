"""Settings read from the environment, with defaults rooted in the instance folder."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from learn.i18n import LANGUAGES

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent  # a source checkout's top level (tests and tools use it)


def shipped(name: str) -> Path:
    """A folder Parcours ships (static, migrations, content): inside the installed package, where
    the wheel puts it (setup.py), else at the top level of a source checkout (editable install)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PROJECT_ROOT / name


_WEAK_KEYS = {"", "dev", "secret", "changeme", "change-me", "development", "test"}


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message says which and what to do."""


@dataclass(frozen=True)
class Paths:
    instance: Path
    content: Path
    static: Path
    migrations: Path


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def resolve_paths(env: dict[str, str]) -> Paths:
    """Work out the folders Parcours uses from the environment."""
    instance = Path(env.get("LEARN_INSTANCE_PATH") or Path.cwd() / "instance").resolve()
    content = Path(env.get("LEARN_CONTENT_DIR") or shipped("content")).resolve()
    return Paths(
        instance=instance,
        content=content,
        static=shipped("static"),
        migrations=shipped("migrations"),
    )


def resolve_database_url(env: dict[str, str], paths: Paths) -> str:
    """DATABASE_URL, or the SQLite file in the instance folder; plain postgres:// gets psycopg 3."""
    url = env.get("DATABASE_URL") or f"sqlite:///{paths.instance / 'parcours.sqlite3'}"
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite:///"):
        # The file's folder is made for it; a URI ("file:...", as tests pass) names no folder.
        target = unquote(url.removeprefix("sqlite:///").split("?", 1)[0])
        if target and target != ":memory:" and not target.startswith("file:"):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
    return url


def _secret_key(env: dict[str, str], production: bool, instance: Path) -> str:
    key = env.get("SECRET_KEY", "")
    if key:
        if production and (key.lower() in _WEAK_KEYS or len(key) < 32):
            raise ConfigError(
                "SECRET_KEY is too weak for production: use at least 32 random characters, for "
                'example: python3 -c "import secrets; print(secrets.token_hex(32))"'
            )
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. In production Parcours needs a secret key of at least 32 "
            "random characters in the SECRET_KEY environment variable. For a trial on your own "
            "machine, set LEARN_ENV=development instead."
        )
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _public_url(env: dict[str, str]) -> str | None:
    """LEARN_PUBLIC_URL without its trailing slash, or None; anything but an http(s) address is
    refused (it is printed on the learners' sign-in cards)."""
    url = env.get("LEARN_PUBLIC_URL", "").strip().rstrip("/")
    if not url:
        return None
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", url):
        raise ConfigError(
            "LEARN_PUBLIC_URL must be the address learners type, such as "
            f"https://parcours.example.org, not {url[:80]!r}."
        )
    return url


def build_config(env: dict[str, str] | None = None) -> dict:
    """Return the Flask configuration for this environment, or raise ConfigError."""
    env = dict(os.environ if env is None else env)
    mode = env.get("LEARN_ENV", "production").strip().lower()
    if mode not in {"production", "development"}:
        raise ConfigError(f"LEARN_ENV must be 'production' or 'development', not {mode!r}.")
    production = mode == "production"
    paths = resolve_paths(env)
    https = _flag(env.get("LEARN_HTTPS"), default=production)
    database_url = resolve_database_url(env, paths)
    try:
        idle = int(env.get("LEARN_SESSION_IDLE_MINUTES", "120"))
        staff_hours = int(env.get("LEARN_SESSION_MAX_HOURS_STAFF", "12"))
        learner_days = int(env.get("LEARN_SESSION_MAX_DAYS_LEARNER", "30"))
        code_days = int(env.get("LEARN_CODE_DAYS", "14"))
        proxies = int(env.get("LEARN_PROXY_COUNT", "0"))
        retention_days = int(env.get("LEARN_RETENTION_DAYS", "730"))
        # Years a funded learner's records are kept after the year of their last activity
        # (learn/services/retention.py; the sources and what could not be checked: docs/privacy.md).
        keep_years = {
            name: int(env.get(name, default))
            for name, default in (
                ("LEARN_KEEP_CERTIFICATE_YEARS", "3"),
                ("LEARN_KEEP_EVIDENCE_YEARS", "6"),
                ("LEARN_KEEP_EUROPEAN_YEARS", "10"),
            )
        }
    except ValueError as exc:
        raise ConfigError(f"A numeric setting is not a whole number: {exc}") from None
    from datetime import timedelta

    return {
        "LEARN_ENV": mode,
        "DEBUG": False,
        "SECRET_KEY": _secret_key(env, production, paths.instance),
        "DATABASE_URL": database_url,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "LEARN_PATHS": paths,
        "LEARN_STRICT_CONTENT": _flag(env.get("LEARN_STRICT_CONTENT"), default=False),
        "LEARN_CONTENT_RELOAD": not production,
        "LEARN_HTTPS": https,
        "LEARN_PROXY_COUNT": proxies,
        # The address learners type, printed on the sign-in cards, and the one credentials are
        # issued under (their ids, the issuer's profile, the status lists): stable and public.
        "LEARN_PUBLIC_URL": _public_url(env),
        "LEARN_CODE_DAYS": code_days,
        "LEARN_RETENTION_DAYS": retention_days,
        **keep_years,
        "LEARN_LOGIN_LIMIT_ADDRESS": env.get("LEARN_LOGIN_LIMIT_ADDRESS", "20 per minute"),
        "LEARN_LOGIN_LIMIT_ACCOUNT": env.get(
            "LEARN_LOGIN_LIMIT_ACCOUNT", "5 per minute;30 per hour"
        ),
        "LEARN_LOG_LEVEL": env.get("LEARN_LOG_LEVEL", "INFO"),
        # The server ends a session after `idle` without a request, and at the latest after
        # the absolute limit for the role (services/sessions.py); the cookie's own expiry
        # only saves a browser from sending a dead session.
        "LEARN_SESSION_IDLE": timedelta(minutes=idle),
        "LEARN_SESSION_MAX_STAFF": timedelta(hours=staff_hours),
        "LEARN_SESSION_MAX_LEARNER": timedelta(days=learner_days),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "parcours_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": https,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Views marked accepts_files (evidence from a phone): an 8 MB photo and its form.
        "LEARN_UPLOAD_MAX_REQUEST": 9 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": LANGUAGES,
        # Without Redis, the counters live in the database (learn/rate_limits.py), where every
        # worker and every instance sees them.
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "learn+database://",
        "RATELIMIT_HEADERS_ENABLED": False,
    }
