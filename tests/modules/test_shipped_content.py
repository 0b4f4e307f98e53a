"""The content Parcours ships is complete and clean: no error and no warning."""

from __future__ import annotations

from learn.config import PROJECT_ROOT
from learn.modules import check, load_catalog

CONTENT = PROJECT_ROOT / "content"


def test_shipped_content_has_no_error_and_no_warning():
    problems = check(CONTENT)
    assert problems == [], "\n".join(p.format() for p in problems[:30])


LANGS = {"fr", "en", "de", "it"}
BOTH = ("standard", "easy")


def test_the_programme_is_complete():
    """20 skills × 4 levels in French; level 1 also in English, German and Italian (issue 24),
    each reviewed (learners are served it); the course in the four languages."""
    catalog = load_catalog(CONTENT)
    assert len(catalog.skills) == 20
    for skill in catalog.skills:
        levels = [m.level for m in catalog.modules_for_skill(skill.id)]
        assert levels == [1, 2, 3, 4], skill.id
        for module in catalog.modules_for_skill(skill.id):
            langs = LANGS if module.level == 1 else {"fr"}
            expected = {(lang, variant) for lang in langs for variant in BOTH}
            assert set(module.variants) == expected, module.id
            assert module.servable_langs == langs, module.id
            for (lang, _variant), found in module.variants.items():
                if lang != "fr":
                    assert found.translation.status in ("reviewed", "validated"), module.id
        assert catalog.placement(skill.id, "fr") is not None, skill.id
        assert catalog.guide(skill.id, "fr") is not None, skill.id
        for level in skill.levels:
            assert 3 <= len(level.behaviours_for("fr")) <= 5, (skill.id, level.level)
            for lang in LANGS:  # the grid, the catalogue and the credentials in each language
                assert lang in level.descriptor, (skill.id, level.level, lang)
        for lang in LANGS:
            assert lang in skill.title and lang in skill.definition, (skill.id, lang)
    course = catalog.course("entrepreneurship")
    assert course.module_ids == ("es-social", "es-economic", "es-environmental")
    assert all(lang in course.title for lang in LANGS)
    for module_id in course.module_ids:
        module = catalog.modules[module_id]
        assert set(module.variants) == {(lang, v) for lang in LANGS for v in BOTH}, module_id
        assert module.servable_langs == LANGS
        for variant in module.variants.values():
            assert variant.workshop is not None and len(variant.questions) >= 8
    assert {lang for lang, _ in catalog.guides["entrepreneurship"]} == LANGS


def test_every_skill_is_aligned_to_esco_lifecomp_and_clea():
    """ESCO by concept URI (only self-confidence has none in ESCO), and LifeComp for every skill;
    CléA where one of its seven domains fits."""
    catalog = load_catalog(CONTENT)
    without_esco = {s.id for s in catalog.skills if s.esco is None}
    assert without_esco == {"confiance-en-soi"}
    for skill in catalog.skills:
        if skill.esco is not None:
            assert skill.esco.startswith("http://data.europa.eu/esco/skill/"), skill.id
        assert skill.lifecomp, skill.id
    assert len({s.esco for s in catalog.skills if s.esco}) == 19  # no concept used twice
    assert sum(1 for s in catalog.skills if s.clea) >= 16
    assert next(s for s in catalog.skills if s.id == "securite").clea == (7,)
