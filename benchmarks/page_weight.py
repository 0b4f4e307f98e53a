"""Page weight and first paint on a slow phone connection (issue 22): Parcours with the demo data
behind gunicorn over TLS (as behind the HTTPS proxy of a real site, so that the browser asks for
brotli), driven by headless Chromium with the network slowed by the DevTools protocol
(Network.emulateNetworkConditions: 400 kbit/s down and up, 400 ms latency) and the cache on.

    python benchmarks/page_weight.py [--runs 3] [--module MODULE_ID]

For each run and each reading font (system, Atkinson Hyperlegible, Lexend, OpenDyslexic), in a
fresh browser profile: the home page (first visit, nothing cached) and the sign-in page; the demo
learner signs in (through the browser's request API: no page drawn), turns the reading mode on
with that font, then opens the module's first part, its second part and the dashboard. For
each page: the bytes received (the sum of encodedDataLength of Network.loadingFinished: headers
and compressed bodies, as on the wire) by kind of resource, and the first contentful paint
(performance paint entries). It prints the median over runs against the targets of issue 22
and whether each is met. Everything runs on 127.0.0.1 and stops by itself; it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("LEARN_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "page-weight-password-2026"  # noqa: S105 (demo accounts of this run's database)
LEARNER = "demo-learner"
FONTS = ("system", "atkinson", "lexend", "opendyslexic")
KBPS = 400
LATENCY_MS = 400
KB = 1024
# Issue 22's targets: bytes on the wire (KB) and first contentful paint (s).
TARGET_HOME_KB = 30
TARGET_PART_KB = 120
TARGET_LATER_KB = 15  # HTML only: everything else is cached
TARGET_FCP_S = 1.5

SERVER = """
import sys
from learn.server import ParcoursServer
bind, cert, key = sys.argv[1:4]
ParcoursServer({
    "bind": bind, "workers": 1, "threads": 4,
    "worker_class": "learn.server.HeaderDeadlineWorker",
    "certfile": cert, "keyfile": key, "timeout": 60, "control_socket_disable": True,
}).run()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 valid for a day, and its key (this run's TLS only)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def prepare(env: dict, module_id: str | None) -> tuple[str, list[str]]:
    """Migrate, load the demo data; return the module variant's id and its parts' ids."""
    os.environ.update(env)
    from learn import create_app, demo, migrate
    from learn.db import make_engine

    engine = make_engine(env["DATABASE_URL"])
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app()
    catalog = app.extensions["learn.catalog"].get()
    session = app.extensions["learn.sessions"]()
    with app.test_request_context():
        demo.load(session, PASSWORD, catalog)
    session.commit()
    session.close()
    if module_id:
        variant = catalog.variant(module_id, "fr")
    else:
        variant = next(
            v
            for m in catalog.modules.values()
            if m.valid
            and m.kind == "module"
            and not m.prerequisites
            and (v := catalog.variant(m.id, "fr"))
            and len(v.sections) >= 2
        )
    return variant.id, [s.id for s in variant.sections]


def start_server(env: dict, base: str, bind: str, cert: Path, key: Path, log: Path):
    import ssl

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, bind, str(cert), str(key)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE  # this run's own self-signed certificate
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/ping", timeout=1, context=insecure)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"the server did not start; see {log}")


class Meter:
    """The bytes each request received and its kind, from the DevTools protocol's events."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.kinds: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.received: dict[str, int] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": KBPS * 1000 / 8,
                "uploadThroughput": KBPS * 1000 / 8,
            },
        )

    def _sent(self, event):
        self.kinds.setdefault(event["requestId"], event.get("type", "Other"))
        self.urls[event["requestId"]] = event["request"]["url"]

    def _response(self, event):
        self.kinds[event["requestId"]] = event.get("type", "Other")

    def _finished(self, event):
        self.received[event["requestId"]] = int(event["encodedDataLength"])

    def reset(self):
        self.kinds.clear()
        self.urls.clear()
        self.received.clear()

    def by_kind(self) -> dict[str, int]:
        totals: dict[str, int] = defaultdict(int)
        for request_id, size in self.received.items():
            totals[self.kinds.get(request_id, "Other")] += size
        return dict(totals)

    def detail(self) -> list[tuple[str, str, int]]:
        return sorted(
            (
                (self.kinds.get(r, "Other"), self.urls.get(r, "?"), n)
                for r, n in self.received.items()
            ),
            key=lambda row: -row[2],
        )


def visit(page, meter: Meter, url: str) -> dict:
    """Open url, wait until the page and its fonts are in and the network is quiet."""
    meter.reset()
    response = page.goto(url, wait_until="load", timeout=120_000)
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: {response.status if response else 'no response'}")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(1500)  # requests that finish after the load event (a late font)
    fcp = page.evaluate(
        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
    )
    # When the reading font's regular weight (the body text's) was in, from the navigation's start.
    regular = page.evaluate(
        "(performance.getEntriesByType('resource')"
        ".find(e => e.name.endsWith('-400-normal.woff2')) || {}).responseEnd || null"
    )
    return {
        "kinds": meter.by_kind(),
        "fcp": fcp / 1000 if fcp else None,
        "regular": regular / 1000 if regular else None,
        "detail": meter.detail(),
    }


def sign_in(context, base: str) -> None:
    """Sign in as the demo learner through the request API (shares the browser's cookies)."""
    form = context.request.get(base + "/sign-in").text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token on the sign-in page")
    answer = context.request.post(
        base + "/sign-in",
        form={"csrf_token": token.group(1), "username": LEARNER, "password": PASSWORD},
        headers={"Referer": base + "/sign-in"},  # checked over HTTPS, as a browser sends it
        max_redirects=0,
    )
    if answer.status not in (302, 303):
        raise SystemExit(f"sign-in refused ({answer.status})")


def set_font(context, base: str, font: str) -> None:
    page = context.request.get(base + "/reading").text()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    answer = context.request.post(
        base + "/reading",
        form={"csrf_token": token.group(1), "mode": "on", "font": font},
        headers={"Accept": "application/json", "Referer": base + "/reading"},
    )
    if answer.status != 200 or answer.json()["prefs"]["font"] != font:
        raise SystemExit(f"reading settings refused ({answer.status})")


def journey(browser, base: str, module_id: str, parts: list[str], font: str) -> dict:
    context = browser.new_context(
        locale="fr-FR",
        ignore_https_errors=True,  # this run's self-signed certificate
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        meter = Meter(page)
        seen = {"home": visit(page, meter, base + "/")}
        seen["sign-in"] = visit(page, meter, base + "/sign-in")
        sign_in(context, base)
        set_font(context, base, font)
        seen["part 1"] = visit(page, meter, f"{base}/modules/{module_id}/read/{parts[0]}")
        seen["part 2"] = visit(page, meter, f"{base}/modules/{module_id}/read/{parts[1]}")
        seen["dashboard"] = visit(page, meter, base + "/dashboard")
        return seen
    finally:
        context.close()


def kilobytes(n: float) -> str:
    return f"{n / KB:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--module", default="", help="module id (default: the first open one)")
    parser.add_argument("--detail", action="store_true", help="list each request of each page")
    parser.add_argument("--fonts", default=",".join(FONTS), help="fonts to measure, in this order")
    args = parser.parse_args()
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or LEARN_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="parcours-weight-"))
    env = {
        "LEARN_ENV": "production",
        "LEARN_HTTPS": "1",
        "SECRET_KEY": secrets.token_hex(32),
        "LEARN_INSTANCE_PATH": str(tmp),
        "LEARN_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"sqlite:///{tmp / 'weight.sqlite3'}",
        "LEARN_CONTENT_DIR": str(ROOT / "content"),
        "LEARN_LOGIN_LIMIT_ACCOUNT": "1000 per minute",
        "LEARN_LOGIN_LIMIT_ADDRESS": "1000 per minute",
    }
    module_id, parts = prepare(env, args.module or None)
    cert, key = self_signed(tmp)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    server = start_server(env, base, f"127.0.0.1:{port}", cert, key, tmp / "server.log")
    runs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
            )
            try:
                for _ in range(args.runs):
                    for font in args.fonts.split(","):
                        for name, seen in journey(browser, base, module_id, parts, font).items():
                            runs[(font, name)].append(seen)
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(runs, module_id, parts, args)
    return 0


def report(runs, module_id: str, parts: list[str], args) -> None:
    def median_kinds(samples: list[dict]) -> dict[str, float]:
        kinds = {k for s in samples for k in s["kinds"]}
        return {k: statistics.median(s["kinds"].get(k, 0) for s in samples) for k in kinds}

    def median_of(samples: list[dict], key: str) -> float | None:
        values = [s[key] for s in samples if s[key] is not None]
        return statistics.median(values) if values else None

    def seconds(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "—"

    load = os.getloadavg()
    print(
        f"Chromium {KBPS} kbit/s down and up, {LATENCY_MS} ms latency, cache on, TLS (brotli); "
        f"module {module_id} ({parts[0]}, {parts[1]}); median of {args.runs} run(s); "
        f"load average {load[0]:.1f} {load[1]:.1f}"
    )
    columns = ("Document", "Stylesheet", "Script", "Font", "Image", "Other")
    print(
        f"{'page':<24}{'total KB':>9}"
        + "".join(f"{c[:6]:>8}" for c in columns)
        + f"{'FCP s':>7}{'font s':>7}  target                     met"
    )
    verdicts = []
    fonts = args.fonts.split(",")
    for font in fonts:
        for page in ("home", "sign-in", "part 1", "part 2", "dashboard"):
            if page in ("home", "sign-in") and font != fonts[0]:
                continue  # signed out: the same pages whatever the font chosen later
            samples = runs[(font, page)]
            kinds = median_kinds(samples)
            total = statistics.median(sum(s["kinds"].values()) for s in samples)
            other = sum(v for k, v in kinds.items() if k not in columns[:-1])
            fcp = median_of(samples, "fcp")
            if page == "home":
                target, ok = f"≤ {TARGET_HOME_KB} KB", total <= TARGET_HOME_KB * KB
            elif page == "part 1":
                ok = total <= TARGET_PART_KB * KB and fcp is not None and fcp <= TARGET_FCP_S
                target = f"≤ {TARGET_PART_KB} KB, FCP ≤ {TARGET_FCP_S} s"
            elif page in ("part 2", "dashboard"):
                html = kinds.get("Document", 0)
                target, ok = f"HTML ≤ {TARGET_LATER_KB} KB", html <= TARGET_LATER_KB * KB
            else:
                target, ok = "", None
            label = page if page in ("home", "sign-in") else f"{page} · {font}"
            cells = [kinds.get(c, 0) for c in columns[:-1]] + [other]
            print(
                f"{label:<24}{kilobytes(total):>9}"
                + "".join(f"{kilobytes(v):>8}" for v in cells)
                + f"{seconds(fcp):>7}{seconds(median_of(samples, 'regular')):>7}  {target:<27}"
                + ("" if ok is None else ("met" if ok else "NOT MET"))
            )
            if ok is not None:
                verdicts.append(ok)
            if args.detail:
                for kind, url, size in samples[0]["detail"]:
                    print(f"    {kind:<11}{kilobytes(size):>7}  {url.split('/', 3)[-1][:90]}")
    print(f"{sum(verdicts)} of {len(verdicts)} targets met")
    print(
        "KB: bytes received (headers and compressed bodies) by kind of resource; FCP: first "
        "contentful paint; font s: when the reading font's regular weight was in, from the "
        "navigation's start (from the cache on later pages, unless fetched again)"
    )


if __name__ == "__main__":
    sys.exit(main())
