"""The learner's side: dashboard, catalog, reading, quizzes, workshops, self-assessment, help."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from learn import content
from learn.auth.forms import EmptyForm
from learn.learner import quizform
from learn.modules import grade
from learn.services import (
    catalogue,
    learning,
    pathway,
    quizzes,
    satisfaction,
    tutoring,
    validation,
    workshops,
)
from learn.services import progress as progress_service
from learn.services.assigning import target_label
from learn.services.errors import Forbidden, Invalid, NotFound
from learn.services.textinput import has_control_characters, without_control_characters
from learn.web.access import learner_view
from learn.web.control_characters import checks_own_text
from learn.web.i18n import select_locale
from learn.web.transactions import db, writes_in_blocks, writing

bp = Blueprint("learner", __name__)
WORDS_PER_MINUTE = 120


def is_learner() -> bool:
    return current_user.role == "learner" and current_user.organisation_id is not None


def previews() -> bool:
    """Staff may open a machine translation (marked as a preview); learners never are served one."""
    return current_user.is_staff


def chosen_variant(module_id: str, state=None) -> str:
    """easy or standard (for a module or a placement questionnaire): the link's choice, else the
    learner's last choice, else the trainer's."""
    asked = request.args.get("variant")
    if asked in ("standard", "easy"):
        session["variant"] = asked
        return asked
    if session.get("variant") in ("standard", "easy"):
        return session["variant"]
    if current_user.prefers_easy_read or (state and state.easy_read):
        return "easy"
    return "standard"


def load_variant(module_id: str, variant_name: str | None = None):
    """The servable variant in the reader's language (falling back to French), or 404."""
    catalog = content.catalog()
    module = catalog.modules.get(module_id)
    if module is None or not module.valid or module.kind != "module":
        raise NotFound()
    variant = catalog.variant(
        module_id, select_locale(), variant_name or "standard", preview=previews()
    )
    if variant is None:
        raise NotFound()
    return catalog, module, variant


def learner_pathway():
    return pathway.compute(db(), current_user, content.catalog(), select_locale())


def check_open(module_id: str):
    """Learners may open a module when the pathway says so; staff always."""
    if not is_learner():
        return None
    path = pathway.compute(db(), current_user, content.catalog(), select_locale(), only=module_id)
    state = path.states.get(module_id)
    if state is None:
        raise NotFound()
    if not state.open:
        raise Forbidden()
    return state


# --- dashboard and catalog ----------------------------------------------------------------------


@bp.route("/dashboard")
@learner_view
def dashboard():
    catalog = content.catalog()
    if not is_learner():
        return redirect(url_for("learner.catalog_page"))
    path = learner_pathway()
    assigned = sorted(
        (s for s in path.states.values() if s.reason == "assigned"),
        key=lambda s: (s.due_on is None, s.due_on or 0, s.module_id),
    )
    return render_template(
        "learner/dashboard.html",
        catalog=catalog,
        path=path,
        resume=pathway.continue_module(path),
        assigned=assigned,
        feedback=pathway.recent_feedback(db(), current_user),
        at_work=tutoring.has_tutor_or_assessment(db(), current_user),
        to_rate=_to_rate(catalog),
        referentiels=validation.referentiels_worked_on(db(), current_user, catalog),
        lang=select_locale(),
    )


def _to_rate(catalog, module_id: str | None = None) -> list[tuple[int, str]]:
    """(id, what it asked in words) of the learner's finished assignments not rated yet; only
    those that include `module_id` when given."""
    return [
        (found.assignment_id, target_label(catalog, found.kind, found.ref, select_locale()))
        for found in satisfaction.assignments_to_rate(db(), current_user, catalog)
        if module_id is None or module_id in found.module_ids
    ]


@bp.route("/catalog")
@learner_view
def catalog_page():
    catalog = content.catalog()
    path = learner_pathway() if is_learner() else None
    query = request.args.get("q", "")[: catalogue.MAX_QUERY].strip()
    return render_template(
        "learner/catalog.html",
        catalog=catalog,
        path=path,
        lang=select_locale(),
        query=query,
        entries=catalogue.browse(catalog, select_locale(), query),
    )


@bp.route("/skills/<skill_id>")
@learner_view
def skill(skill_id: str):
    catalog = content.catalog()
    found = next((s for s in catalog.skills if s.id == skill_id), None)
    if found is None:
        raise NotFound()
    path = learner_pathway() if is_learner() else None
    return render_template(
        "learner/skill.html",
        catalog=catalog,
        skill=found,
        path=path,
        placement=path.placements.get(skill_id) if path else None,
        has_placement=catalog.placement(skill_id, select_locale()) is not None,
        lang=select_locale(),
    )


@bp.route("/skills/<skill_id>/placement", methods=["GET", "POST"])
@learner_view
def placement(skill_id: str):
    catalog = content.catalog()
    questionnaire = catalog.placement(
        skill_id, select_locale(), chosen_variant(skill_id), preview=previews()
    )
    if questionnaire is None:
        raise NotFound()
    other = "standard" if questionnaire.variant == "easy" else "easy"
    alternative = catalog.placement(skill_id, questionnaire.lang, other, preview=previews())
    errors, result = [], None
    shown = quizform.display_order(questionnaire, f"placement:{current_user.id}:{skill_id}")
    if request.method == "POST" and EmptyForm().validate_on_submit():
        answers = quizform.answers_from_form(questionnaire.questions, request.form)
        if is_learner():
            try:
                result = learning.save_placement(
                    db(), current_user, questionnaire, skill_id, request.form, answers
                )
            except learning.Unanswered as exc:
                errors = quizform.unanswered_links(exc, shown)
            except Invalid as exc:
                errors = [(message, None) for message in exc.messages]
    status = 400 if errors else 200
    return render_template(
        "learner/placement.html",
        skill_id=skill_id,
        placement=questionnaire,
        other_variant=other if alternative.variant == other else None,
        shown=shown,
        errors=errors,
        result=result,
        form=EmptyForm(),
        values=request.form,
        lang=select_locale(),
    ), status


# --- reading ------------------------------------------------------------------------------------


@bp.route("/modules/<module_id>")
@learner_view
def module_start(module_id: str):
    state = check_open(module_id)
    _catalog, _module, variant = load_variant(module_id, chosen_variant(module_id, state))
    section = None
    if is_learner():
        row = progress_service.progress_by_module(db(), current_user, [module_id]).get(module_id)
        section = row.last_section if row else None
    if section is None or variant.section(section) is None:
        section = variant.sections[0].id if variant.sections else None
    if section is None:
        return redirect(url_for("learner.module_end", module_id=module_id))
    return redirect(url_for("learner.read", module_id=module_id, section_id=section))


@bp.route("/modules/<module_id>/read/<section_id>")
@learner_view
def read(module_id: str, section_id: str):
    state = check_open(module_id)
    variant_name = chosen_variant(module_id, state)
    catalog, module, variant = load_variant(module_id, variant_name)
    section = variant.section(section_id)
    if section is None:
        raise NotFound()
    ids = [s.id for s in variant.sections]
    index = ids.index(section_id)
    if is_learner():
        with writing() as session_:
            progress_service.record_visit(session_, current_user, variant, section_id)
    remaining_words = sum(s.words for s in variant.sections[index:])
    minutes_left = max(1, round(remaining_words / WORDS_PER_MINUTE)) if remaining_words else 0
    other = "standard" if variant.variant == "easy" else "easy"
    found = catalog.variant(module_id, variant.lang, other, preview=previews())
    has_other = found is not None and found.variant == other  # not a fallback to this variant
    return render_template(
        "learner/read.html",
        module=module,
        variant=variant,
        section=section,
        index=index,
        previous=variant.sections[index - 1] if index > 0 else None,
        next=variant.sections[index + 1] if index + 1 < len(ids) else None,
        minutes_left=minutes_left,
        other_variant=other if has_other else None,
        form=EmptyForm(),
    )


@bp.route("/modules/<module_id>/end")
@learner_view
def module_end(module_id: str):
    state = check_open(module_id)
    _catalog, module, variant = load_variant(module_id, chosen_variant(module_id, state))
    row = None
    if is_learner():
        row = progress_service.progress_by_module(db(), current_user, [module_id]).get(module_id)
    return render_template(
        "learner/end.html",
        module=module,
        variant=variant,
        progress=row,
        attempts_left=quizzes.attempts_left(db(), current_user, variant) if is_learner() else None,
        workshop=workshops.get_answer(db(), current_user, variant.workshop.id)
        if variant.workshop and is_learner()
        else None,
        form=EmptyForm(),
        ask_opinion=is_learner() and last_of_course(_catalog, module),
        to_rate=_to_rate(_catalog, module.id) if is_learner() else [],
    )


@bp.route("/modules/<module_id>/heartbeat", methods=["POST"])
@learner_view
def heartbeat(module_id: str):
    load_variant(module_id)
    if is_learner():
        progress_service.record_heartbeat(db(), current_user, module_id)
    return "", 204


@bp.route("/modules/<module_id>/selfcheck", methods=["POST"])
@learner_view
def selfcheck(module_id: str):
    check_open(module_id)
    _catalog, _module, variant = load_variant(module_id, chosen_variant(module_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    if is_learner():
        try:
            learning.save_self_assessment(db(), current_user, variant, request.form)
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
            return redirect(url_for("learner.module_end", module_id=module_id) + "#selfcheck")
        flash(_("Your self-assessment is saved. Well done for taking stock."), "success")
    return redirect(url_for("learner.module_end", module_id=module_id))


@bp.route("/modules/<module_id>/help", methods=["POST"])
@learner_view
def ask_help(module_id: str):
    load_variant(module_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = help_return_address(module_id, request.form.get("back", ""))
    if is_learner():
        try:
            learning.ask_for_help(db(), current_user, module_id, request.form.get("message", ""))
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
            return redirect(back)
        flash(_("Your trainer will see that you asked for help."), "success")
    return redirect(back)


def help_return_address(module_id: str, given: str) -> str:
    """The page of this module the help form was sent from, as the form names it (never the
    Referer header); a line break in it is a forged request (400); anything else that is not a
    plain path under the module's own address gives the module's first page."""
    if has_control_characters(given):
        abort(400)
    start = url_for("learner.module_start", module_id=module_id)
    local = given.startswith("/") and not given.startswith("//") and "\\" not in given
    under = given == start or given.startswith((f"{start}/", f"{start}#"))
    # A browser reads %2e%2e as "..": the path is checked as it will be read, too.
    read = unquote(given)
    plain = "/.." not in read and "//" not in read and "\\" not in read
    if local and under and plain and not urlsplit(given).netloc:
        return given
    return start


# --- quiz ---------------------------------------------------------------------------------------


def _quiz_page(variant, ticket_value, ticket, values, checked=None, changed=(), status=200):
    seed = quizform.seed_for(current_user.id, variant.id, ticket.seq)
    return render_template(
        "learner/quiz.html",
        variant=variant,
        shown=quizform.display_order(variant, seed),
        ticket=ticket_value,
        seq=ticket.seq,
        values=values,
        checked=checked or {},
        changed=set(changed),
        form=EmptyForm(),
        attempts_left=quizzes.attempts_left(db(), current_user, variant),
    ), status


def _attempts_used(module_id: str):
    flash(_("You have used every attempt of this quiz. Your trainer can help."), "error")
    return redirect(url_for("learner.module_end", module_id=module_id))


@bp.route("/modules/<module_id>/quiz", methods=["GET", "POST"])
@learner_view
@writes_in_blocks
def quiz(module_id: str):
    state = check_open(module_id)
    _catalog, _module, variant = load_variant(module_id, chosen_variant(module_id, state))
    if variant.quiz is None or not variant.questions:
        raise NotFound()
    if request.method == "GET":
        try:
            ticket = quizzes.open_ticket(db(), current_user, variant)
        except quizzes.AttemptsUsed:
            return _attempts_used(module_id)
        value = quizform.sign_ticket(ticket, current_user.id, module_id)
        return _quiz_page(variant, value, ticket, {})
    if not EmptyForm().validate_on_submit():
        abort(400)
    value = request.form.get("ticket", "")
    ticket = quizform.read_ticket(value, current_user.id, module_id)
    if ticket is None:
        abort(400)
    answers = quizform.answers_from_form(variant.questions, request.form)
    confirm = request.form.get("confirm")
    if confirm == "back":  # from the confirmation page: the quiz again, the answers kept
        return _quiz_page(variant, value, ticket, request.form)
    if variant.quiz.mode == "assessed" and confirm != "send":
        # An assessed attempt counts: one sent by mistake with blanks is asked about first,
        # and nothing is recorded until the learner confirms.
        seed = quizform.seed_for(current_user.id, variant.id, ticket.seq)
        shown = [q for q, _options, _rights in quizform.display_order(variant, seed)]
        missing = quizform.unanswered(shown, answers)
        if missing:
            return render_template(
                "learner/quiz_confirm.html",
                variant=variant,
                missing=missing,
                ticket=value,
                kept=quizform.kept_fields(request.form),
                form=EmptyForm(),
            )
    if not is_learner():
        flash(_("Preview only: answers of staff accounts are not recorded."), "success")
        return _quiz_page(variant, value, ticket, request.form)
    try:
        with writing() as session_:
            submitted = quizzes.submit(session_, current_user, variant, ticket, answers)
    except (quizzes.QuizChanged, quizzes.StaleForm) as exc:
        # Opened again, the learner's answers kept: the changed questions are marked.
        try:
            fresh = quizzes.open_ticket(db(), current_user, variant)
        except quizzes.AttemptsUsed:
            return _attempts_used(module_id)
        if isinstance(exc, quizzes.QuizChanged):
            message = _(
                "This quiz was updated while you were answering. The changed questions are "
                "marked: check them, then send again. Your other answers are kept."
            )
        else:
            message = _(
                "This quiz form was out of date (your attempts changed since you opened it). "
                "Your answers are kept: check them, then send again."
            )
        flash(message, "error")
        return _quiz_page(
            variant,
            quizform.sign_ticket(fresh, current_user.id, module_id),
            fresh,
            request.form,
            changed=exc.question_ids,
            status=409,
        )
    except quizzes.AttemptsUsed:
        return _attempts_used(module_id)
    if submitted.duplicate:
        flash(
            _("This attempt was already sent (another tab or a second click): here is its result."),
            "success",
        )
    return redirect(url_for("learner.attempt", attempt_id=submitted.attempt.id))


@bp.route("/modules/<module_id>/quiz/check", methods=["POST"])
@learner_view
def quiz_check(module_id: str):
    """Practice mode: feedback on one question at once, the other answers kept in the form."""
    check_open(module_id)
    _catalog, _module, variant = load_variant(module_id, chosen_variant(module_id))
    if variant.quiz is None or variant.quiz.mode != "practice":
        raise NotFound()
    if not EmptyForm().validate_on_submit():
        abort(400)
    value = request.form.get("ticket", "")
    ticket = quizform.read_ticket(value, current_user.id, module_id)
    if ticket is None:
        abort(400)
    question = variant.question(request.args.get("q", ""))
    if question is None:
        raise NotFound()
    answers = quizform.answers_from_form([question], request.form)
    result = grade(question, answers.get(question.id))
    return _quiz_page(variant, value, ticket, request.form, checked={question.id: result})


@bp.route("/attempts/<int:attempt_id>")
@learner_view
def attempt(attempt_id: int):
    row = quizzes.get_attempt(db(), current_user, attempt_id)
    catalog = content.catalog()
    variant = catalog.variant(row.module_id, row.lang, row.variant)
    if variant is None:
        raise NotFound()
    return render_template(
        "learner/attempt.html",
        attempt=row,
        variant=variant,
        results=quizzes.corrections(row, variant),
    )


# --- workshop -----------------------------------------------------------------------------------


@bp.route("/modules/<module_id>/workshop", methods=["GET", "POST"])
@learner_view
@checks_own_text
def workshop(module_id: str):
    state = check_open(module_id)
    catalog, _module, variant = load_variant(module_id, chosen_variant(module_id, state))
    if variant.workshop is None:
        raise NotFound()
    # The rubric is written in the standard variant; the ratings apply to either variant.
    standard = catalog.variant(module_id, variant.lang, "standard", preview=previews())
    rubric = standard.workshop.rubric if standard and standard.workshop else ()
    row = workshops.get_answer(db(), current_user, variant.workshop.id) if is_learner() else None
    errors, values = [], dict(row.answers) if row else {}
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        values = {p.id: request.form.get(f"p-{p.id}", "") for p in variant.workshop.prompts}
        submit = request.form.get("action") == "submit"
        if is_learner():
            try:
                row = workshops.save(db(), current_user, variant, values, submit=submit)
            except Invalid as exc:
                errors = exc.messages
                # Given back without what could not be saved, so nothing typed is lost.
                values = {k: without_control_characters(v) for k, v in values.items()}
            else:
                if request.accept_mimetypes.best == "application/json":
                    return jsonify(saved=True, status=row.status)
                flash(
                    _("Sent to your trainer for review.") if submit else _("Draft saved."),
                    "success",
                )
                return redirect(url_for("learner.workshop", module_id=module_id))
        if errors and request.accept_mimetypes.best == "application/json":
            return jsonify(saved=False, errors=errors), 400
    return render_template(
        "learner/workshop.html",
        variant=variant,
        rubric=rubric,
        row=row,
        values=values,
        errors=errors,
        form=EmptyForm(),
        limit=workshops.MAX_ANSWER_CHARS,
    ), (400 if errors else 200)


# --- satisfaction questionnaire ------------------------------------------------------------------


def last_of_course(catalog, module) -> bool:
    """Whether the module is the last one of its course (where the questionnaire is offered)."""
    modules = [m for m in catalog.course_modules(module.course) if m.kind == "module"]
    return bool(modules) and modules[-1].id == module.id


@bp.route("/satisfaction/<kind>/<ref>", methods=["GET", "POST"])
@learner_view
def satisfaction_form(kind: str, ref: str):
    """The end-of-course (or assignment) questionnaire: optional, every answer optional."""
    if not is_learner():
        raise Forbidden()
    subject = satisfaction.check_subject(db(), current_user, kind, ref[:80], content.catalog())
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        satisfaction.answer(db(), current_user, subject, request.form)
        flash(_("Thank you: your answers are saved."), "success")
        return redirect(url_for("learner.dashboard"))
    given = satisfaction.response_of(db(), current_user, subject)
    return render_template(
        "learner/satisfaction.html",
        form=form,
        given=given,
        questions=[(q, satisfaction.question_text(q)) for q in satisfaction.QUESTIONS],
        scale=[(v, satisfaction.scale_text(v)) for v in satisfaction.SCALE],
        limit=satisfaction.COMMENT_MAX,
    )
