"""The organisation admin's list of learners (/admin/learners): paged and searchable like the
trainer's, scoped to the admin's organisation, a fixed number of queries whatever its size."""

from __future__ import annotations

import re

import pytest

from learn.models import Role
from learn.services import privacy
from tests import factories
from tests.conftest import sign_in
from tests.trainer_factories import count_queries

EN = {"Accept-Language": "en"}
ROW_LINK = re.compile(r'href="/admin/learners/(\d+)"')


@pytest.fixture
def org(db):
    """An organisation with an admin and a trainer, and another organisation with a learner."""
    home = factories.organisation(db, name="Chantier A")
    factories.user(db, home, Role.ORG_ADMIN, username="admin-a")
    factories.user(db, home, Role.TRAINER, username="trainer-a")
    other = factories.organisation(db, name="Chantier B")
    factories.user(db, other, username="outsider.b", display_name="Zoé Outsider")
    db.commit()
    return home


def add_learners(db, org, first: int, last: int) -> None:
    for n in range(first, last):
        factories.user(db, org, username=f"l{n:03d}", display_name=f"Learner {n:03d}")
    db.commit()


def listing(client, query: str = "") -> str:
    response = client.get(f"/admin/learners{query}", headers=EN)
    assert response.status_code == 200, query
    return response.get_data(as_text=True)


def test_sixty_learners_make_two_pages(client, db, org):
    add_learners(db, org, 0, 60)
    sign_in(client, "admin-a")
    first = listing(client)
    assert "60 learners" in first
    assert len(ROW_LINK.findall(first)) == 50
    assert "Learner 000" in first and "Learner 049" in first and "Learner 050" not in first
    assert 'href="/admin/learners?page=2"' in first
    assert re.search(r'href="/admin/learners\?page=1" aria-current="page"', first)
    second = listing(client, "?page=2")
    assert len(ROW_LINK.findall(second)) == 10
    assert "Learner 050" in second and "Learner 059" in second and "Learner 049" not in second
    assert re.search(r'href="/admin/learners\?page=2" aria-current="page"', second)


def test_a_short_list_has_no_pager(client, db, org):
    add_learners(db, org, 0, 3)
    sign_in(client, "admin-a")
    page = listing(client)
    assert "3 learners" in page and 'class="pager"' not in page


def test_search_folds_case_and_accents_and_keeps_wildcards_literal(client, db, org):
    add_learners(db, org, 0, 60)
    factories.user(db, org, username="elodie.m", display_name="Élodie Mañé")
    factories.user(db, org, username="amina.d", display_name="Amina 100%_sure")
    db.commit()
    sign_in(client, "admin-a")
    found = listing(client, "?q=élodie MAÑÉ")
    assert "Élodie Mañé" in found and "1 learner" in found and "Learner 000" not in found
    assert "Élodie Mañé" in listing(client, "?q=ELODIE.M")  # the username too
    assert "Amina 100%_sure" in listing(client, "?q=AMINA")
    # % and _ are searched as themselves, not as wildcards.
    assert "Learner 0" not in listing(client, "?q=%25_")
    assert "Amina" in listing(client, "?q=0%25_s")
    # The search stays in the pager's links and in the field.
    many = listing(client, "?q=learner")
    assert "60 learners" in many and 'href="/admin/learners?page=2&amp;q=learner"' in many
    assert 'value="learner"' in many
    nobody = listing(client, "?q=nobody-here")
    assert "No learner matches" in nobody and "nobody-here" in nobody


def test_the_search_form_has_a_label_and_needs_no_script(client, db, org):
    add_learners(db, org, 0, 2)
    sign_in(client, "admin-a")
    page = listing(client)
    form = re.search(r'<form method="get" action="/admin/learners"[^>]*>.*?</form>', page, re.S)
    assert form and 'role="search"' in form.group(0)
    assert '<label for="q">' in form.group(0) and 'id="q" name="q"' in form.group(0)
    assert "style=" not in page and "<script>" not in page


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=-3", "?page=0", "?page=1.5", "?page=", "?page=99999"]
)
def test_bad_page_values_give_a_normal_page(client, db, org, query):
    add_learners(db, org, 0, 60)
    sign_in(client, "admin-a")
    page = listing(client, query)
    assert "60 learners" in page and len(ROW_LINK.findall(page)) in (50, 10)


def test_a_page_past_the_end_shows_the_last_one(client, db, org):
    add_learners(db, org, 0, 60)
    sign_in(client, "admin-a")
    assert "Learner 059" in listing(client, "?page=99999")
    # A number too long to be a page is no page number: the first page.
    assert "Learner 000" in listing(client, "?page=" + "9" * 30)


def test_odd_searches_give_a_normal_page(client, db, org):
    add_learners(db, org, 0, 3)
    sign_in(client, "admin-a")
    long = listing(client, "?q=" + "a" * 10_000)
    field = re.search(r'<input type="search" id="q" name="q" value="(a*)"', long)
    assert field and len(field.group(1)) == 80  # searched as its first 80 characters
    for query in ("?q=%25", "?q=_", "?q=%25%25&page=-3", "?q=%3Cscript%3E"):
        text = listing(client, query)
        assert "<script>" not in text


def test_trainers_and_learners_are_refused(app, db, org):
    factories.user(db, org, username="learner-a")
    db.commit()
    for username in ("trainer-a", "learner-a"):
        client = app.test_client()
        sign_in(client, username)
        assert client.get("/admin/learners").status_code == 403, username
        assert client.get("/admin/learners?q=a&page=2").status_code == 403, username
    assert app.test_client().get("/admin/learners").status_code == 302  # to the sign-in page


def test_another_organisations_learners_never_appear(client, db, org):
    add_learners(db, org, 0, 60)
    sign_in(client, "admin-a")
    for query in ("", "?page=2", "?q=outsider", "?q=Zoé", "?q=b"):
        page = listing(client, query)
        assert "Outsider" not in page and "outsider.b" not in page, query
    assert "No learner matches" in listing(client, "?q=outsider")


def test_erased_accounts_name_no_one_and_are_counted(app, client, db, org):
    add_learners(db, org, 0, 2)
    amina = factories.user(db, org, username="amina", display_name="Amina Diallo")
    admin = factories.user(db, org, Role.ORG_ADMIN, username="admin-two")
    db.commit()
    with app.test_request_context(headers=EN):
        privacy.erase(db, admin, amina)
    db.commit()
    sign_in(client, "admin-a")
    page = listing(client)
    assert "Amina" not in page and "amina" not in page
    assert "Erased accounts kept, anonymous, for the statistics: 1." in page
    assert "Learner 000" in page and "Learner 001" in page
    # The erased account is counted apart, not listed among the learners.
    assert "~erased-" not in page and "Erased learner" not in page
    assert "2 learners" in page and len(ROW_LINK.findall(page)) == 2


@pytest.mark.parametrize("query", ["page=abc", "page=-3", "page=99999999999999999999", "learner=x"])
def test_audit_log_answers_bad_page_numbers_with_a_page(client, db, org, query):
    sign_in(client, "admin-a")
    response = client.get(f"/admin/audit?{query}", headers=EN)
    assert response.status_code == 200, query


def test_the_number_of_queries_does_not_grow_with_the_learners(app, client, db, org):
    engine = app.extensions["learn.engine"]
    add_learners(db, org, 0, 5)
    sign_in(client, "admin-a")
    listing(client)  # anything done once per session is done

    def selects(query: str = "") -> int:
        with count_queries(engine) as statements:
            listing(client, query)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    few = selects()
    add_learners(db, org, 5, 60)
    assert selects() == few and selects("?page=2") == few and selects("?q=learner") == few
    # The signed-in user, the erased count, the learner count, one page of learners.
    assert few == 4, few


def pager_links(app, page: int, pages: int) -> tuple[list[tuple[str, str]], str]:
    """The pager's (page in the address, page shown) pairs, and its HTML."""
    with app.test_request_context():
        template = app.jinja_env.get_template("trainer/_pager.html")
        html = str(template.module.pager(page, pages, "admin.learners", q="lé"))
    return re.findall(r"page=(\d+)[^>]*>(\d+)<", html), html


@pytest.mark.parametrize(
    ("page", "pages", "shown"),
    [
        (1, 3, [1, 2, 3]),
        (1, 100, [1, 2, 3, 100]),
        (50, 100, [1, 48, 49, 50, 51, 52, 100]),
        (100, 100, [1, 98, 99, 100]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_a_long_list_shows_a_few_page_links_around_the_current_one(app, page, pages, shown):
    links, html = pager_links(app, page, pages)
    assert [int(n) for n, _text in links] == shown
    assert all(n == text for n, text in links)
    assert html.count('aria-current="page"') == 1
    assert html.count("…") == (page - 3 > 1) + (page + 3 < pages)  # a gap for pages left out
    assert "q=l%C3%A9" in html  # the search goes with every link


def test_admins_and_trainers_list_learners_the_same_way(app, db, org):
    """One list for both (trainer/_pager.html): the name heads its row and links to the
    audience's own page of the learner."""
    add_learners(db, org, 0, 2)
    pages = {}
    for username, url in (("admin-a", "/admin/learners"), ("trainer-a", "/trainer/learners")):
        client = app.test_client()
        sign_in(client, username)
        pages[url] = client.get(url, headers=EN).get_data(as_text=True)
    for url, page in pages.items():
        rows = re.findall(r'<th scope="row"><a href="([^"]+)">Learner 00(\d)</a>', page)
        assert [(href.startswith(url + "/"), n) for href, n in rows] == [(True, "0"), (True, "1")]
        assert "2 learners" in page and "Learners of Chantier A" in page
