"""The learner's everyday journeys of issue 18 in headless Chromium on a phone (360 px): the
assessed quiz that asks before sending blanks (with and without JavaScript), the "show password"
toggle, the competency grid as a list, the collapsed and searchable catalogue, and ordered-list
numbers in reading mode at 24 px on 320 px. axe-core runs on every state the test checks."""

from __future__ import annotations

import pytest

from learn.models import Role
from tests import factories
from tests import trainer_factories as tf
from tests.browser_support import assert_accessible
from tests.reading.browser_checks import reading

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def app(small_app):
    return small_app


def add_lea(app, prefs=None, mastered=(), placement=None):
    session = app.extensions["learn.sessions"]()
    org = factories.organisation(session)
    lea = factories.user(
        session, org, Role.LEARNER, username="lea", display_name="Léa", reading_preferences=prefs
    )
    for module_id in mastered:
        tf.progress(session, lea, module_id, "mastered")
    if placement:
        tf.placement(session, lea, skill_id="ecoute", level=placement)
    session.commit()
    session.close()


def phone(browser, javascript=True, viewport=None):
    context = browser.new_context(
        locale="fr-FR", viewport=viewport or PHONE, java_script_enabled=javascript
    )
    return context, context.new_page()


def sign_in(page, base):
    page.goto(base + "/sign-in")
    page.get_by_label("Identifiant").fill("lea")
    page.get_by_label("Mot de passe ou code de connexion").fill(factories.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/dashboard")


def attempts(app) -> int:
    from sqlalchemy import func, select

    from learn.models import QuizAttempt

    session = app.extensions["learn.sessions"]()
    try:
        return session.scalar(select(func.count()).select_from(QuizAttempt))
    finally:
        session.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_assessed_quiz_with_a_blank_asks_before_sending(app, browser, live_server, javascript):
    add_lea(app, mastered=["ecoute-1"])
    context, page = phone(browser, javascript)
    sign_in(page, live_server)
    page.goto(live_server + "/modules/ecoute-2/quiz")
    # q1 (several answers) left blank; q2 (order) has its places filled by default.
    page.get_by_role("button", name="Envoyer mes réponses").click()
    question = page.get_by_text("1 question n'a pas de réponse : envoyer quand même ?")
    question.wait_for()
    assert attempts(app) == 0
    if javascript:
        assert page.url.endswith("/modules/ecoute-2/quiz")  # still on the quiz, answers in place
        assert page.evaluate("document.activeElement.id") == "quiz-confirm-text"
        assert_accessible(page)
        page.get_by_role("button", name="Revenir à mes réponses").click()
        assert page.evaluate("document.activeElement.name") == "q-q1"  # the blank question
        page.get_by_role("button", name="Envoyer mes réponses").click()
        question.wait_for()
    else:
        assert "Envoyer avec des questions sans réponse" in page.content()
    page.get_by_role("button", name="Envoyer quand même").click()
    page.wait_for_url("**/attempts/*")
    assert attempts(app) == 1
    if javascript:
        assert_accessible(page)  # the corrections, styled
    context.close()


def test_check_my_answer_without_javascript_shows_the_feedback(app, browser, live_server):
    add_lea(app)
    context, page = phone(browser, javascript=False)
    sign_in(page, live_server)
    page.goto(live_server + "/modules/ecoute-1/quiz")
    page.get_by_label("Vous reformulez la consigne.").check()
    page.get_by_role("button", name="Vérifier ma réponse").first.click()
    page.wait_for_url("**/quiz/check?q=*#feedback-*")
    feedback = page.locator(".feedback")
    box = feedback.bounding_box()
    assert box and -1 <= box["y"] < PHONE["height"], box  # on screen, not the question's top
    context.close()


def test_show_password_switches_the_field_and_says_it_is_pressed(app, browser, live_server):
    add_lea(app)
    context, page = phone(browser)
    page.goto(live_server + "/sign-in")
    toggle = page.get_by_role("button", name="Afficher le mot de passe")
    field = page.get_by_label("Mot de passe ou code de connexion")
    field.fill("un secret")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert field.get_attribute("type") == "password"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert field.get_attribute("type") == "text"
    assert_accessible(page)
    toggle.press("Enter")  # the keyboard too
    assert field.get_attribute("type") == "password"
    box = toggle.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    context.close()


def test_the_competency_grid_on_a_phone_is_a_list_with_the_placement(app, browser, live_server):
    add_lea(app, placement=2)
    context, page = phone(browser)
    sign_in(page, live_server)
    assert page.locator(".competency-table").is_hidden()
    listed = page.locator(".competency-list")
    assert listed.is_visible()
    levels = listed.locator(".competency-levels > li")
    assert levels.count() == 4
    for index in range(4):
        level = levels.nth(index)
        assert level.is_visible()
        box = level.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert f"Niveau {index + 1} :" in level.inner_text()
    assert listed.get_by_text("commencer au niveau 2").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_catalogue_on_a_phone_is_collapsed_and_searchable(
    app, browser, live_server, javascript
):
    add_lea(app)
    context, page = phone(browser, javascript)
    sign_in(page, live_server)
    page.goto(live_server + "/catalog")
    courses = page.locator("details.catalog-course")
    assert courses.count() == 2
    assert all(not courses.nth(i).evaluate("d => d.open") for i in range(2))
    assert page.get_by_role("heading", name="Compétences transversales").is_visible()
    assert page.get_by_role("link", name="Écouter : niveau 1").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if javascript:
        assert_accessible(page)
    page.get_by_label("Chercher un module ou une compétence").fill("ecouter")
    if javascript:  # narrowed as one types
        page.locator("details.catalog-skill[open]").first.wait_for()
        assert page.get_by_role("link", name="Écouter : niveau 1").is_visible()
        assert page.locator("#course-entrepreneurship").is_hidden()
        assert_accessible(page)
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_url("**/catalog?q=ecouter")
    assert page.get_by_role("link", name="Écouter : niveau 1").is_visible()
    assert page.locator("#course-entrepreneurship").count() == 0
    context.close()


def test_reading_mode_list_numbers_fit_at_24px_on_320px(app_factory, browser, live_server_real):
    app, base = live_server_real
    add_lea(app, prefs=reading(size="24"))
    context, page = phone(browser, viewport={"width": 320, "height": 640})
    sign_in(page, base)
    page.goto(base + "/modules/es-social/read/definition")  # a list of 10 items
    assert page.evaluate("document.documentElement.dataset.rm") == "on"
    figures = page.evaluate(
        """() => {
          const ol = document.querySelector('#reading ol');
          const last = ol.lastElementChild;
          const style = getComputedStyle(last);
          const probe = document.createElement('span');
          probe.textContent = (ol.start + ol.children.length - 1) + '. ';
          for (const name of ['font', 'letterSpacing', 'wordSpacing']) {
            probe.style[name] = style[name];
          }
          probe.style.position = 'absolute';
          probe.style.whiteSpace = 'pre';
          document.body.append(probe);
          const marker = probe.getBoundingClientRect().width;
          probe.remove();
          return {
            marker, padding: parseFloat(getComputedStyle(ol).paddingLeft),
            left: last.getBoundingClientRect().left, font: parseFloat(style.fontSize),
            hyphens: style.hyphens, lang: last.closest('[lang]').lang,
          };
        }"""
    )
    assert figures["font"] >= 24, figures
    assert figures["padding"] >= figures["marker"], figures  # the number fits its room
    assert figures["left"] - figures["marker"] >= 0, figures  # and starts on the screen
    assert figures["hyphens"] == "auto" and figures["lang"] == "fr", figures
    # (The module's table is wider than the phone: a two-dimensional table may scroll.)
    right = page.evaluate("document.querySelector('#reading ol').getBoundingClientRect().right")
    assert right <= 320
    context.close()


@pytest.fixture
def live_server_real(app_factory):
    """The shipped content (its modules have numbered lists), served on 127.0.0.1."""
    import threading

    from werkzeug.serving import make_server

    app = app_factory()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
