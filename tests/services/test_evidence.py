"""The evidence service without an app: targets checked against the catalogue (soft-skill
levels now, référentiels through the seam), who may see a learner's evidence, erasure."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from learn.models import Evidence, EvidenceBlob, Role
from learn.modules.model import Localized
from learn.services import evidence
from learn.services.errors import Forbidden, Invalid, NotFound
from tests import evidence_files as make
from tests import factories


def text(value: str) -> Localized:
    return Localized.of({"fr": value})


def fake_referentiel():
    """The shape the référentiel engine gives: activities holding competences, each titled."""
    competence = SimpleNamespace(id="preparer-materiel", title=text("Préparer le matériel"))
    activity = SimpleNamespace(id="preparer", title=text("Préparer"), competences=(competence,))
    return SimpleNamespace(
        id="agent-proprete",
        title=text("Agent·e de propreté"),
        activities=(activity,),
        competence=lambda cid: competence if cid == competence.id else None,
    )


class CatalogWithReferentiels:
    """The fixture catalogue's skills, plus what the référentiel engine adds to a catalogue."""

    def __init__(self, catalog):
        self.skills = catalog.skills
        self.skill = catalog.skill
        self.referentiels = (fake_referentiel(),)

    def referentiel(self, referentiel_id):
        return next((r for r in self.referentiels if r.id == referentiel_id), None)


def test_soft_skill_levels_3_and_4_are_targets_and_not_1_or_2(fixture_catalog):
    catalog = fixture_catalog.get()
    target = evidence.describe_target(catalog, "skill_level", "ecoute/3", "fr")
    assert target.context == "Level 3" and target.title
    for ref in ("ecoute/1", "ecoute/2", "ecoute/5", "ecoute/x", "nope/3", "ecoute", "a/b/c"):
        with pytest.raises(Invalid):
            evidence.describe_target(catalog, "skill_level", ref, "fr")
    keys = {t.key for t in evidence.targets(catalog, "fr")}
    assert "skill_level:ecoute/3" in keys and "skill_level:ecoute/4" in keys
    assert not any(k.endswith(("/1", "/2")) for k in keys)


def test_referentiel_targets_are_refused_while_the_catalogue_knows_none(fixture_catalog):
    catalog = fixture_catalog.get()
    assert not hasattr(catalog, "referentiel") or catalog.referentiel("agent-proprete") is None
    with pytest.raises(Invalid):
        evidence.describe_target(catalog, "competence", "agent-proprete/preparer-materiel", "fr")


def test_referentiel_competences_and_activities_through_the_catalogue(fixture_catalog):
    catalog = CatalogWithReferentiels(fixture_catalog.get())
    competence = evidence.describe_target(
        catalog, "competence", "agent-proprete/preparer-materiel", "fr"
    )
    assert (competence.title, competence.context) == ("Préparer le matériel", "Agent·e de propreté")
    activity = evidence.describe_target(catalog, "activity", "agent-proprete/preparer", "fr")
    assert activity.title == "Préparer"
    for kind, ref in (
        ("competence", "agent-proprete/preparer"),  # an activity's id is not a competence
        ("activity", "agent-proprete/preparer-materiel"),
        ("competence", "valorg/preparer-materiel"),
        ("module", "agent-proprete/preparer"),
    ):
        with pytest.raises(Invalid):
            evidence.describe_target(catalog, kind, ref, "fr")
    keys = {t.key for t in evidence.targets(catalog, "fr")}
    assert {
        "activity:agent-proprete/preparer",
        "competence:agent-proprete/preparer-materiel",
    } <= keys


@pytest.fixture
def people(db):
    org = factories.organisation(db)
    lea = factories.user(db, org, username="lea")
    other = factories.user(db, org, username="other")
    trainer = factories.user(db, org, Role.TRAINER)
    admin = factories.user(db, org, Role.ORG_ADMIN)
    outsider = factories.user(db, factories.organisation(db), Role.TRAINER)
    platform = factories.user(db, None, Role.PLATFORM_ADMIN)
    db.commit()
    return SimpleNamespace(
        org=org,
        lea=lea,
        other=other,
        trainer=trainer,
        admin=admin,
        outsider=outsider,
        platform=platform,
    )


def add_photo(db, learner, catalog):
    return evidence.add(
        db,
        learner,
        catalog,
        target_kind="skill_level",
        target_ref="ecoute/3",
        note="",
        photo=make.photo(),
        audio=None,
        lang="fr",
    )


def test_can_see_evidence_is_the_learner_and_their_organisations_staff(db, people, fixture_catalog):
    item = add_photo(db, people.lea, fixture_catalog.get())
    seen = {
        name: evidence.can_see_evidence(db, getattr(people, name), item)
        for name in vars(people)
        if name != "org"
    }
    assert seen == {
        "lea": True,
        "other": False,
        "trainer": True,
        "admin": True,
        "outsider": False,
        "platform": True,
    }
    assert evidence.get_evidence(db, people.trainer, item.id) is item
    with pytest.raises(NotFound):
        evidence.get_evidence(db, people.other, item.id)
    with pytest.raises(NotFound):
        evidence.get_evidence(db, people.outsider, item.id)


def test_a_trainer_restricted_to_groups_sees_only_their_groups_learners(
    db, people, fixture_catalog
):
    item = add_photo(db, people.lea, fixture_catalog.get())
    people.org.restrict_trainers_to_groups = True
    factories.group(db, people.org, members=[people.trainer, people.other])
    db.flush()
    assert not evidence.can_see_evidence(db, people.trainer, item)
    factories.group(db, people.org, members=[people.trainer, people.lea])
    db.flush()
    assert evidence.can_see_evidence(db, people.trainer, item)


def test_only_a_learner_hands_in_evidence(db, people, fixture_catalog):
    with pytest.raises(Forbidden):
        add_photo(db, people.trainer, fixture_catalog.get())


def test_erasure_of_the_learners_evidence_takes_the_files_too(db, people, fixture_catalog):
    add_photo(db, people.lea, fixture_catalog.get())
    add_photo(db, people.other, fixture_catalog.get())
    assert evidence.erase_for(db, people.lea) == 1
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert db.scalar(select(func.count()).select_from(EvidenceBlob)) == 1


def test_a_learners_files_have_a_quota(db, people, fixture_catalog, monkeypatch):
    catalog = fixture_catalog.get()
    first = add_photo(db, people.lea, catalog)
    monkeypatch.setattr(evidence, "LEARNER_QUOTA_BYTES", first.size * 2)
    add_photo(db, people.lea, catalog)
    with pytest.raises(Invalid, match="Delete photos"):
        add_photo(db, people.lea, catalog)
    add_photo(db, people.other, catalog)  # the quota is each learner's own
    evidence.remove(db, people.lea, first.id)
    add_photo(db, people.lea, catalog)
