"""Each response's security and cache headers, and the request id that ties a page to the log."""

from __future__ import annotations

import re
import secrets

from flask import Flask, g, request

# A request id given by a proxy in front (nginx's $request_id) is kept to tie its log to ours;
# anything else a client sends is replaced: nobody writes what they like into logs and error pages.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Give each request an id, and each response the headers below (registered first, so its
    `after_request` runs last, once the transaction has ended)."""

    @app.before_request
    def name_request():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def set_headers(response):
        # The user as this request loaded it, if it did: /healthz and static files must not need
        # the database (which may be down) just to set these headers.
        user = g.get("_login_user")
        if user is not None and getattr(user, "is_authenticated", False):
            # A view may say more (a file: "private, no-store"); never less than no-store.
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        # A page that records a voice note allows its own microphone (learn/evidence/views.py).
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers["X-Request-ID"] = g.get("request_id", "")
        if app.config["LEARN_HTTPS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
