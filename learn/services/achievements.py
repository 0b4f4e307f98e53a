"""The unsigned OpenBadgeCredential for a validated skill level, a référentiel competence
validated at the workstation, or a completed course.

The achievement carries the level, the criteria narrative (the level's descriptor in
skills.yaml), and the alignments the skill has there (ESCO, LifeComp, CléA); the result carries
the Parcours level. The learner is named only by a salted hash of their name (an IdentityObject),
unless they chose to show it. The texts are French, the content's language of reference."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from learn.credentials import statuslist
from learn.credentials.integrity import utc_timestamp
from learn.credentials.loader import OB_V3P0, VC_V2

LANG = "fr"
LIFECOMP_URL = "https://publications.jrc.ec.europa.eu/repository/handle/JRC120911"
LIFECOMP = {
    "P1": "Self-regulation",
    "P2": "Flexibility",
    "P3": "Wellbeing",
    "S1": "Empathy",
    "S2": "Communication",
    "S3": "Collaboration",
    "L1": "Growth mindset",
    "L2": "Critical thinking",
    "L3": "Managing learning",
}
CLEA_URL = "https://www.certificat-clea.fr/"
CLEA = {
    1: "Communiquer en français",
    2: "Utiliser les règles de base de calcul et du raisonnement mathématique",
    3: "Utiliser les techniques usuelles de l'information et de la communication numérique",
    4: "Travailler dans le cadre de règles définies d'un travail en équipe",
    5: "Travailler en autonomie et réaliser un objectif individuel",
    6: "Apprendre à apprendre tout au long de la vie",
    7: "Maîtriser les gestes et postures, et respecter des règles d'hygiène, de sécurité et "
    "environnementales élémentaires",
}
LEVEL_NAMES = {1: "comprendre", 2: "appliquer", 3: "analyser et évaluer", 4: "créer"}


def normalise_name(name: str) -> str:
    """The name as it is hashed: single spaces, lower case (accents kept), so that a verifier
    who types "jean  DUPONT" finds the credential issued to "Jean Dupont"."""
    return " ".join(name.split()).casefold()


def identity_hash(name: str, salt: str) -> str:
    """Open Badges 3.0's IdentityHash: "sha256$" and the hex SHA-256 of the value then the salt
    (the value being the normalised name)."""
    return "sha256$" + hashlib.sha256((normalise_name(name) + salt).encode("utf-8")).hexdigest()


def identity(name: str, salt: str, show_name: bool) -> dict:
    """The learner's IdentityObject: the name in clear only if they chose to show it."""
    if show_name:
        return {"type": "IdentityObject", "identityType": "name", "hashed": False,
                "identityHash": name.strip()}  # fmt: skip
    return {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": True,
        "identityHash": identity_hash(name, salt),
        "salt": salt,
    }


def name_matches(document: dict, name: str) -> bool:
    """Whether `name` is the one the credential's subject identifier holds (hashed or not)."""
    subject = document.get("credentialSubject") or {}
    for item in subject.get("identifier") or []:
        if not isinstance(item, dict) or item.get("identityType") != "name":
            continue
        if item.get("hashed"):
            if identity_hash(name, str(item.get("salt", ""))) == item.get("identityHash"):
                return True
        elif normalise_name(name) == normalise_name(str(item.get("identityHash", ""))):
            return True
    return False


def shown_name(document: dict) -> str | None:
    """The learner's name if the credential shows it in clear, else None."""
    subject = document.get("credentialSubject") or {}
    for item in subject.get("identifier") or []:
        if isinstance(item, dict) and item.get("identityType") == "name" and not item.get("hashed"):
            return str(item.get("identityHash"))
    return None


def skill_alignments(skill) -> list[dict]:
    """The skill's ESCO concept, LifeComp competences and CléA domains as OB alignments."""
    title = skill.title.get(LANG)
    found = []
    if skill.esco:
        found.append(
            {
                "type": ["Alignment"],
                "targetType": "ceasn:Competency",
                "targetFramework": "ESCO",
                "targetName": title,
                "targetUrl": skill.esco,
            }  # fmt: skip
        )
    for code in skill.lifecomp:
        found.append(
            {
                "type": ["Alignment"],
                "targetType": "ceasn:Competency",
                "targetFramework": "LifeComp",
                "targetCode": code,
                "targetName": LIFECOMP.get(code, code),
                "targetUrl": LIFECOMP_URL,
            }  # fmt: skip
        )
    for domain in skill.clea:
        found.append(
            {
                "type": ["Alignment"],
                "targetType": "ceasn:Competency",
                "targetFramework": "CléA",
                "targetCode": str(domain),
                "targetName": CLEA.get(domain, str(domain)),
                "targetUrl": CLEA_URL,
            }  # fmt: skip
        )
    return found


def skill_level_achievement(skill, level: int) -> tuple[dict, list[dict]]:
    """The Achievement of a skill level, and the subject's results for it."""
    descriptor = skill.level(level).descriptor.get(LANG)
    results_id = f"urn:parcours:softskills:{skill.id}:levels"
    achievement = {
        "id": f"urn:parcours:achievement:softskills:{skill.id}:{level}",
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{skill.title.get(LANG)} — niveau {level} ({LEVEL_NAMES[level]})",
        "description": skill.definition.get(LANG),
        "criteria": {"narrative": descriptor},
        "alignment": skill_alignments(skill),
        "humanCode": f"{skill.id}-{level}",
        "inLanguage": LANG,
        "resultDescription": [
            {
                "id": results_id,
                "type": ["ResultDescription"],
                "name": "Niveau Parcours (1 comprendre, 2 appliquer, 3 analyser, 4 créer)",
                "resultType": "RubricCriterionLevel",
                "allowedValue": [str(n) for n in LEVEL_NAMES],
            }
        ],
    }
    results = [{"type": ["Result"], "resultDescription": results_id, "value": str(level)}]
    return achievement, results


CERTIFICATION_RE = re.compile(r"^(RNCP|RS)\s?(\d+)$")


def referentiel_alignments(referentiel) -> list[dict]:
    """The French certifications a référentiel follows (its RNCP or RS sources) as OB
    alignments, so that a reader sees which diploma or certificate the competence belongs to."""
    found = []
    for source in referentiel.sources:
        match = CERTIFICATION_RE.match((source.reference or "").strip())
        if not match:
            continue
        code = match.group(1) + match.group(2)
        found.append(
            {
                "type": ["Alignment"],
                "targetType": "ceterms:Credential",
                "targetFramework": "France compétences — " + match.group(1),
                "targetCode": code,
                "targetName": source.title,
                "targetUrl": source.url
                or f"https://www.francecompetences.fr/recherche/{match.group(1).lower()}/"
                f"{match.group(2)}/",
            }
        )
    return found


def competence_achievement(referentiel, competence, step) -> tuple[dict, list[dict]]:
    """The Achievement of a référentiel competence validated at the workstation, and the
    subject's result: the step of the référentiel's scale it was validated at. The criteria
    narrative lists the observable criteria (safety ones marked), the evidence's yardstick."""
    criteria = "; ".join(
        ("(sécurité) " if c.safety else "") + c.text.get(LANG) for c in competence.criteria
    )
    results_id = f"urn:parcours:referentiel:{referentiel.id}:{competence.id}:scale"
    achievement = {
        "id": f"urn:parcours:achievement:referentiel:{referentiel.id}:{competence.id}",
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{competence.title.get(LANG)} — {referentiel.title.get(LANG)}",
        "description": referentiel.summary.get(LANG),
        "criteria": {
            "narrative": "Validé en situation de travail, sur ces critères observables : "
            + criteria
            + "."
        },
        "alignment": referentiel_alignments(referentiel),
        "humanCode": f"{referentiel.id}/{competence.id}",
        "inLanguage": LANG,
        "resultDescription": [
            {
                "id": results_id,
                "type": ["ResultDescription"],
                "name": "Échelon du référentiel atteint",
                "resultType": "RubricCriterionLevel",
                "allowedValue": [s.label.get(LANG) for s in competence.scale],
            }
        ],
    }
    results = [{"type": ["Result"], "resultDescription": results_id, "value": step.label.get(LANG)}]
    return achievement, results


def course_achievement(course, module_count: int) -> tuple[dict, list[dict]]:
    """The Achievement of a completed course (every module of it completed)."""
    achievement = {
        "id": f"urn:parcours:achievement:course:{course.id}",
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": course.title.get(LANG),
        "description": course.description.get(LANG),
        "criteria": {
            "narrative": f"A terminé les {module_count} modules du parcours « "
            f"{course.title.get(LANG)} » dans Parcours, quiz compris."
        },
        "inLanguage": LANG,
    }
    return achievement, []


def credential(
    *,
    credential_url: str,
    issuer: dict,
    achievement: dict,
    results: list[dict],
    subject_identity: dict,
    issued_at: datetime,
    status_list_url: str,
    status_index: int,
) -> dict:
    """The unsigned OpenBadgeCredential (VC 2.0 + OB 3.0.3 contexts)."""
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [subject_identity],
        "achievement": achievement,
    }
    if results:
        subject["result"] = results
    stamp = utc_timestamp(issued_at)
    return {
        "@context": [VC_V2, OB_V3P0],
        "id": credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": stamp,
        "awardedDate": stamp,
        "credentialSubject": subject,
        "credentialStatus": statuslist.status_entry(status_list_url, status_index),
    }
