"""The request pipeline: what every request goes through, one module per job.

`init_app` wires them in this order (before-request hooks run in it, after-request hooks in
reverse, so the transaction ends before the headers are set):

- `database`: the engine and the session factory; `init_schema_check` answers 503 while a
  migration is missing.
- `transactions`: **where a request opens, writes and commits** (read its docstring first).
- `headers`: the request id, the security and cache headers.
- `control_characters`: the rule "no character no one types" over the address and the fields.
- `i18n`: the locale and its catalogue; `signin`: the signed-in user; `params`: ids in addresses.
- `errors`: error pages; `blueprints`: the pages themselves; `access`: who may open them
  (`staff_required`, `learner_view`); `templating`: every template filter, global and context
  processor, registered in one place.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from learn.extensions import csrf, limiter
from learn.web import (
    blueprints,
    control_characters,
    database,
    errors,
    headers,
    i18n,
    params,
    signin,
    templating,
    transactions,
)


def init_app(app: Flask) -> None:
    """Wire the request pipeline into the app (see the module's docstring for the order)."""
    database.init_app(app)
    init_protections(app)
    i18n.init_app(app)
    signin.init_app(app)
    from learn import content

    content.init_app(app)
    headers.init_app(app)
    transactions.init_app(app)
    control_characters.init_app(app)
    database.init_schema_check(app)
    errors.init_app(app)
    params.init_app(app)
    blueprints.init_app(app)
    templating.init_app(app)


def init_protections(app: Flask) -> None:
    """CSRF on every form, rate limits (kept in the database unless Redis is set), and the
    client's address read through the configured number of proxies."""
    csrf.init_app(app)
    if app.config["RATELIMIT_STORAGE_URI"] == "learn+database://":
        from learn import rate_limits

        uri = rate_limits.storage_uri_for(app.extensions["learn.engine"])
        app.config["RATELIMIT_STORAGE_URI"] = uri
    limiter.init_app(app)
    if app.config["LEARN_PROXY_COUNT"]:
        n = app.config["LEARN_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
