"""Locust scenario for benchmarks/load_no_loss.py: learners sign in, read, answer quizzes and
save workshop drafts. Every write the server acknowledges is appended to LOAD_ACK_FILE so the
driver can count it in the database afterwards."""

from __future__ import annotations

import itertools
import json
import os
import re
import threading

from locust import HttpUser, between, task

TICKET = re.compile(r'name="ticket" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ATTEMPT = re.compile(r"/attempts/(\d+)$")
_numbers = itertools.count(1)
_lock = threading.Lock()
ACK_FILE = os.environ["LOAD_ACK_FILE"]
PASSWORD = os.environ["LOAD_PASSWORD"]
PREFIX = os.environ["LOAD_USER_PREFIX"]
MODULE = os.environ["LOAD_MODULE"]
SECTIONS = os.environ["LOAD_SECTIONS"].split(",")
QUESTION = os.environ["LOAD_QUESTION"]
OPTION = os.environ["LOAD_OPTION"]
WORKSHOP_MODULE = os.environ["LOAD_WORKSHOP_MODULE"]
PROMPT = os.environ["LOAD_PROMPT"]


def acknowledge(record: dict) -> None:
    with _lock, open(ACK_FILE, "a") as out:
        out.write(json.dumps(record) + "\n")


class Learner(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.number = next(_numbers)
        self.username = f"{PREFIX}{self.number}"
        page = self.client.get("/sign-in", name="/sign-in").text
        token = CSRF.search(page).group(1)
        self.client.post(
            "/sign-in",
            data={"username": self.username, "password": PASSWORD, "csrf_token": token},
            name="/sign-in [POST]",
        )
        self.saves = 0

    @task(4)
    def read(self):
        self.client.get("/dashboard", name="/dashboard")
        for section in SECTIONS:
            self.client.get(f"/modules/{MODULE}/read/{section}", name="/modules/[id]/read/[part]")

    @task(2)
    def quiz(self):
        page = self.client.get(f"/modules/{MODULE}/quiz", name="/modules/[id]/quiz").text
        ticket, token = TICKET.search(page), CSRF.search(page)
        if not ticket:
            return
        with self.client.post(
            f"/modules/{MODULE}/quiz",
            data={"csrf_token": token.group(1), "ticket": ticket.group(1), f"q-{QUESTION}": OPTION},
            name="/modules/[id]/quiz [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            found = ATTEMPT.search(response.headers.get("Location", ""))
            if response.status_code == 302 and found:
                acknowledge({"kind": "attempt", "user": self.username, "id": int(found.group(1))})
                response.success()
            else:
                response.failure(f"quiz not recorded: {response.status_code}")

    @task(2)
    def workshop(self):
        url = f"/modules/{WORKSHOP_MODULE}/workshop"
        page = self.client.get(url, name="/modules/[id]/workshop").text
        token = CSRF.search(page)
        self.saves += 1
        text = f"{self.username} draft {self.saves}"
        with self.client.post(
            url,
            data={"csrf_token": token.group(1), f"p-{PROMPT}": text, "action": "save"},
            name="/modules/[id]/workshop [POST]",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                acknowledge({"kind": "workshop", "user": self.username, "text": text})
                response.success()
            else:
                response.failure(f"draft not saved: {response.status_code}")
