"""The GDPR export's column headers in the reader's language: one label per column of every
table that holds something about a learner (a test fails if a column has none), and of the
account and groups files. The JSON file keeps the columns' own names, for programs."""

from __future__ import annotations

from learn.i18n import _l

COLUMN_LABELS = {
    # The account (account.csv) and its groups (groups.csv).
    "username": _l("Username"),
    "display_name": _l("Name"),
    "name": _l("Name"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "locale": _l("Interface language"),
    "reading_preferences": _l("Reading settings"),
    "prefers_easy_read": _l("Prefers the easy-read version"),
    "must_choose_password": _l("Must choose a password"),
    "active": _l("Account open"),
    # Shared by many tables.
    "id": _l("Number"),
    "organisation_id": _l("Organisation (number)"),
    "user_id": _l("Learner (account number)"),
    "group_id": _l("Group (number)"),
    "module_id": _l("Module"),
    "skill_id": _l("Skill"),
    "level": _l("Level"),
    "status": _l("Status"),
    "content_version": _l("Content version"),
    "variant": _l("Version of the module"),
    "created_at": _l("Created on"),
    "created_by_id": _l("Created by (account number)"),
    "updated_at": _l("Updated on"),
    "submitted_at": _l("Sent on"),
    "answers": _l("Answers"),
    "ratings": _l("Ratings"),
    "details": _l("Details"),
    "data": _l("Data"),
    "kind": _l("Kind"),
    "message": _l("Message"),
    "version": _l("Version"),
    "last_seen_at": _l("Last seen"),
    "expires_at": _l("Expires on"),
    # assignment
    "target_kind": _l("Work asked: kind"),
    "target_ref": _l("Work asked"),
    "due_on": _l("Due on"),
    "easy_read": _l("Easy-read version"),
    # audit_event
    "actor_id": _l("Done by (account number)"),
    "actor_role": _l("Done by (role)"),
    "action": _l("Action"),
    "target_user_id": _l("Learner concerned (account number)"),
    # group_membership
    "added_at": _l("Added on"),
    # help_request
    "resolved_at": _l("Dealt with on"),
    "resolved_by_id": _l("Dealt with by (account number)"),
    "answer": _l("Trainer's answer"),
    # satisfaction_response and workplace_assessment
    "subject": _l("What it is about (course, assignment or competence)"),
    "comment": _l("Comment"),
    # module_progress
    "last_section": _l("Last part read"),
    "sections_seen": _l("Parts read"),
    "active_seconds": _l("Active time (seconds)"),
    "attempts": _l("Attempts"),
    "failed_in_a_row": _l("Failed attempts in a row"),
    "best_score": _l("Best score"),
    "first_visit_at": _l("First visit"),
    "last_visit_at": _l("Last visit"),
    "completed_at": _l("Completed on"),
    "mastered_at": _l("Mastered on"),
    # observation
    "observed_on": _l("Observed on"),
    "situation": _l("Situation"),
    "evidence": _l("What was observed"),
    "behaviours": _l("Behaviours"),
    "validated": _l("Validated"),
    "observer_id": _l("Observer (account number)"),
    "observer_name": _l("Observer"),
    "observer_role": _l("Observer's role"),
    "recorded_by_id": _l("Recorded by (account number)"),
    "recorded_by_name": _l("Recorded by"),
    # placement_result
    "recommended_level": _l("Recommended level"),
    # progress_event
    "section_id": _l("Part"),
    "seconds": _l("Seconds"),
    # quiz_attempt
    "seq": _l("Attempt number"),
    "mode": _l("Mode"),
    "lang": _l("Language"),
    "started_at": _l("Started on"),
    "duration_seconds": _l("Duration (seconds)"),
    "score": _l("Score"),
    "correct_count": _l("Right answers"),
    "total": _l("Questions"),
    "passed": _l("Passed"),
    "shown_order": _l("Order shown"),
    # workshop_answer
    "workshop_id": _l("Workshop"),
    "reviewed_at": _l("Reviewed on"),
    "reviewer_id": _l("Reviewer (account number)"),
    "review_comment": _l("Review comment"),
    "review_ratings": _l("Review ratings"),
    # sign_in_code, user_session
    "used_at": _l("Used on"),
    "ended_at": _l("Ended on"),
    "sign_in_code_id": _l("Sign-in code (number)"),
    "device": _l("Device"),
    # tutor_link, workplace_assessment
    "tutor_id": _l("Tutor (account number)"),
    "learner_id": _l("Learner (account number)"),
    "tutor_name": _l("Tutor"),
    "referentiel_id": _l("Job standard"),
    "referentiel_version": _l("Version of the job standard"),
    "competence_id": _l("Competence"),
    "criteria": _l("Criteria seen"),
    "scale_step_id": _l("Step reached (code)"),
    "scale_step_label": _l("Step reached"),
    "note": _l("What the tutor saw"),
    "assessed_on": _l("Assessed on"),
    "place": _l("Place"),
    "sent_at": _l("Sent on"),
    "reply": _l("Learner's answer"),
    "replied_at": _l("Answered on"),
}


def column_label(name: str) -> str:
    """The column's header in the reader's language (its own name if it has no label yet)."""
    label = COLUMN_LABELS.get(name)
    return str(label) if label is not None else name
