"""The request pipeline: what every request goes through, one module per job.

Start with `transactions`: **where a request opens, writes and commits**. `init_app` wires the
jobs in this order; before-request hooks run in it, after-request hooks in reverse (so the
transaction has ended when the headers are set):

1. `database`: the engine and the session factory; `uploads`: how large a request may be.
2. `init_protections` (below): CSRF, rate limits, the proxy's forwarded address.
3. `i18n`: the locale and its catalogue; `signin`: the signed-in user; then the content catalog.
4. `headers`: the request id first, the security and cache headers last; before them,
   `templating.init_squeeze`: the whitespace between an HTML page's tags, squeezed after all.
5. `transactions`: a writer or a reader; commit or roll back; close.
6. `control_characters`: "no character no one types" in the address and the fields (400).
7. `database.init_schema_check`: 503 while a migration is missing.
8. `errors`: the error pages; `params`: `<int:...>` is a database id.
9. `blueprints`: the pages, guarded by `access` (`staff_required`, `learner_view`);
   `templating`: every template filter, global and context processor, in one place.
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
    uploads,
)


def init_app(app: Flask) -> None:
    """Wire the request pipeline into the app (see the module's docstring for the order)."""
    database.init_app(app)
    uploads.init_app(app)
    init_protections(app)
    i18n.init_app(app)
    signin.init_app(app)
    from learn import content

    content.init_app(app)
    templating.init_squeeze(app)
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
