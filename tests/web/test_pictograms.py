"""Pictograms in the pages: the attribution page and its footer link, the reading setting that
hides them, their cache, and a module page that shows them."""

from __future__ import annotations

import re

import pytest

from learn.modules.pictograms import load_pictograms
from tests import factories
from tests.conftest import post_form, sign_in
from tests.reading.browser_checks import reading_catalog
from tests.web.test_reading import html_attributes


@pytest.fixture
def reading_client(app_factory):
    app = app_factory(LEARN_CATALOG_HOLDER=reading_catalog())
    session = app.extensions["learn.sessions"]()
    factories.user(session, factories.organisation(session), username="lea")
    session.commit()
    session.close()
    client = app.test_client()
    sign_in(client, "lea")
    return client


def test_every_page_links_to_the_attribution_page(client):
    page = client.get("/sign-in").get_data(as_text=True)
    footer = page.split('<footer class="site-footer">')[1]
    assert 'href="/pictograms"' in footer


def test_the_attribution_page_lists_every_picture_its_source_and_licence(client):
    response = client.get("/pictograms")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in load_pictograms().by_name:
        assert re.search(rf'src="/static/pictos/{name}\.svg" alt=""', page)
        assert f"<code>{name}</code>" in page
    assert "CC BY-SA 4.0" in page and "https://openmoji.org" in page
    assert "public domain" in page and "UNECE" in page
    assert "Les images et leurs auteurs" in page and ">balai <code>broom</code>" in page


def test_the_attribution_page_speaks_english(client):
    post_form(client, "/language", {"locale": "en", "next": "/pictograms"}, form_page="/sign-in")
    page = client.get("/pictograms").get_data(as_text=True)
    assert "Pictures and their authors" in page
    assert ">broom <code>broom</code>" in page and ">work gloves <code>gloves</code>" in page


def test_pictures_are_shown_by_default_and_the_setting_hides_them(client):
    assert (
        html_attributes(client.get("/sign-in").get_data(as_text=True))["data-rm-pictures"] == "on"
    )
    settings = client.get("/reading").get_data(as_text=True)
    assert 'name="pictures" value="off"' in settings and 'id="field-pictures"' in settings
    response = post_form(client, "/reading", {"complete": "1", "pictures": "off"})
    assert response.status_code == 302
    attributes = html_attributes(client.get("/sign-in").get_data(as_text=True))
    assert attributes["data-rm-pictures"] == "off" and attributes["data-rm"] == "off"
    css = client.get("/static/css/parcours.css").get_data(as_text=True)
    assert '[data-rm-pictures="off"] img.pic { display: none; }' in css


def test_a_made_up_pictures_value_is_refused(client):
    response = post_form(client, "/reading", {"complete": "1", "pictures": "maybe"})
    assert response.status_code == 400


def test_a_module_page_shows_its_pictures_with_their_alternative_text(reading_client):
    page = reading_client.get("/modules/ecoute-1/read/travail?variant=easy").get_data(as_text=True)
    assert (
        '<img alt="regarder" class="pic" height="48" src="/static/pictos/look.svg" width="48">'
        "Vous regardez la personne qui parle." in page
    )
    signs = reading_client.get("/modules/ecoute-1/read/signes?variant=easy").get_data(as_text=True)
    assert '<img alt="" class="pic" height="48" src="/static/pictos/speak.svg"' in signs


def test_a_picture_is_kept_a_day_like_a_font(client):
    response = client.get("/static/pictos/broom.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "max-age=86400, public"
    assert "Set-Cookie" not in response.headers
    assert client.get("/static/pictos/no-such-picture.svg").status_code == 404
