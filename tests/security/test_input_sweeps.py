"""Sweeps for the input rules, so that a new form or route is covered without anyone remembering
to: every form class holds text to the control-character rule, every field of every POST route
refuses a control character, and every id in a path past 2**63 is a 404."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from wtforms import StringField

import learn
from learn.forms import CONTROL_MESSAGE, ONE_LINE_MESSAGE, Form, is_multiline
from tests.conftest import csrf_token
from tests.security.conftest import SWEEP_COUNTS, app_rules, url_for_rule
from tests.security.test_sweeps import field_names, signed_in

CONTROLS = ["a\x00b", "a\u202eb", "a\u202ab", "a\u2066b", "a\u2069b", "a\x1bb", "a\x7fb", "a\x9bb"]
LINE_BREAKS = ["a\nb", "a\r\nb", "a\rb", "a\tb"]


def every_form_class() -> list[type]:
    for info in pkgutil.walk_packages(learn.__path__, "learn."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("learn.") and cls is not Form]


def errors_for(cls, name: str, value: str) -> list[str]:
    form = cls(formdata=MultiDict({name: value}), meta={"csrf": False})
    form.validate()
    return [str(e) for e in form[name].errors]


def test_every_form_class_refuses_control_characters_in_every_text_field(app):
    classes = every_form_class()
    checked = 0
    with app.test_request_context():
        for cls in classes:
            assert issubclass(cls, Form), f"{cls.__module__}.{cls.__name__}: derive from Form"
            for field in cls(meta={"csrf": False}):
                if not isinstance(field, StringField):
                    continue
                for value in CONTROLS:
                    assert str(CONTROL_MESSAGE) in errors_for(cls, field.name, value), (
                        f"{cls.__name__}.{field.name} accepts {value!r}"
                    )
                for value in LINE_BREAKS:
                    refused = str(ONE_LINE_MESSAGE) in errors_for(cls, field.name, value)
                    assert refused != is_multiline(field), f"{cls.__name__}.{field.name} {value!r}"
                checked += 1
    SWEEP_COUNTS["form classes held to the control-character rule"] = len(classes)
    SWEEP_COUNTS["text fields of form classes checked for control characters"] = checked
    assert len(classes) >= 10 and checked >= 10


def test_every_field_of_every_post_route_refuses_a_control_character(small_app, two_orgs):
    a, _b = two_orgs
    clients = {
        "learner": signed_in(small_app, a["other"].username),
        "trainer": signed_in(small_app, a["trainer"].username),
        "admin": signed_in(small_app, a["admin"].username),
    }
    checked = 0
    # A view that refuses control characters itself, with the text given back, is covered by its
    # own test (tests/web/test_input_rules.py); the list is held here so none is added unseen.
    own = {r.endpoint for r in app_rules(small_app, "POST")
           if getattr(small_app.view_functions[r.endpoint], "checks_own_text", False)}  # fmt: skip
    assert own == {"learner.workshop", "learner.workplace_reply", "tutor.assess"}
    for rule in app_rules(small_app, "POST"):
        if rule.endpoint in own:
            continue
        url = url_for_rule(rule, a["ids"])
        for who, client in clients.items():
            names = field_names(client, url) if "GET" in rule.methods else []
            for name in [*names, "message"]:
                token = csrf_token(client, "/catalog")
                response = client.post(url, data={"csrf_token": token, name: "a\x00\u202eb"})
                assert response.status_code == 400, f"{who} POST {url} {name}"
                assert "Caractères invisibles" in response.get_data(as_text=True), (who, url, name)
                checked += 1
    SWEEP_COUNTS["POST fields refusing a control character (route x user x field)"] = checked
    assert checked >= 30


@pytest.mark.parametrize("huge", [str(2**63), str(2**64), "1" + "0" * 30, "9" * 5000])
def test_every_id_in_a_path_past_2_63_is_a_404(small_app, two_orgs, huge):
    a, _b = two_orgs
    clients = [
        signed_in(small_app, a["other"].username),
        signed_in(small_app, a["trainer"].username),
        signed_in(small_app, a["admin"].username),
    ]
    checked = 0
    for method in ("GET", "POST"):
        for rule in app_rules(small_app, method):
            ids = [
                arg for arg in rule.arguments if isinstance(rule._converters[arg], IntegerConverter)
            ]
            if not ids:
                continue
            marker = "987654321"  # replaced by the huge id: the converter would refuse to build it
            url = url_for_rule(rule, {**a["ids"], **dict.fromkeys(ids, int(marker))})
            url = url.replace(marker, huge)
            for client in clients:
                if method == "GET":
                    response = client.get(url)
                else:
                    token = csrf_token(client, "/catalog")
                    response = client.post(url, data={"csrf_token": token})
                assert response.status_code == 404, f"{method} {url[:80]}: {response.status_code}"
                checked += 1
    SWEEP_COUNTS[f"routes x users answering 404 to an id of {len(huge)} digits"] = checked
    assert checked >= 10
