"""Organisation admin: the staff accounts — create a trainer or an admin (a printed one-time
code), print a new code for a lost password, close and reopen an account. The pages about one
person are open to any staff: the service answers 404 for another organisation's id (ids do not
leak), then 403 to a trainer."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from learn.admin.forms import NewStaffForm
from learn.admin.views import bp, org_admin_required
from learn.auth.forms import EmptyForm
from learn.services import staff
from learn.services.errors import Invalid
from learn.web.access import staff_required
from learn.web.params import parse_id
from learn.web.transactions import db


def _back(staff_id: int):
    return redirect(url_for("admin.staff_member", staff_id=staff_id))


@bp.route("/staff")
@org_admin_required
def staff_list():
    return render_template("admin/staff.html", people=staff.list_staff(db(), current_user))


@bp.route("/staff/new", methods=["GET", "POST"])
@org_admin_required
def new_staff():
    form = NewStaffForm()
    organisations = staff.organisations_for(db(), current_user)
    form.organisation.choices = [SelectChoice(str(org.id), org.name) for org in organisations]
    if form.validate_on_submit():
        # An organisation admin creates staff in their own organisation, whatever is posted.
        if len(organisations) == 1:
            organisation_id = organisations[0].id
        else:
            organisation_id = parse_id(form.organisation.data or "")
        try:
            created = staff.create_staff(
                db(),
                current_user,
                organisation_id=organisation_id,
                username=form.username.data,
                display_name=form.display_name.data,
                role=form.role.data,
                code_days=current_app.config["LEARN_CODE_DAYS"],
            )
        except Invalid as exc:
            form.form_errors.extend(exc.messages)
        else:
            return render_template("admin/staff_card.html", person=created.user, code=created.code)
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template(
        "admin/new_staff.html", form=form, several=len(organisations) > 1
    ), status


@bp.route("/staff/<int:staff_id>")
@staff_required
def staff_member(staff_id: int):
    person = staff.get_staff(db(), current_user, staff_id)
    return render_template("admin/staff_member.html", person=person, form=EmptyForm())


def _act(staff_id: int, action, done):
    """Run a POST action on a staff account: flash its outcome, back to the person's page."""
    if EmptyForm().validate_on_submit():
        try:
            person = action(db(), current_user, staff_id)
        except Invalid as exc:
            for message in exc.messages:
                flash(message, "error")
        else:
            flash(done(person.display_name), "success")
    return _back(staff_id)


@bp.route("/staff/<int:staff_id>/code", methods=["POST"])
@staff_required
def staff_code(staff_id: int):
    staff.get_staff(db(), current_user, staff_id)  # 404 before the CSRF check says nothing
    if not EmptyForm().validate_on_submit():
        return _back(staff_id)
    try:
        person, code = staff.new_code(
            db(), current_user, staff_id, code_days=current_app.config["LEARN_CODE_DAYS"]
        )
    except Invalid as exc:
        for message in exc.messages:
            flash(message, "error")
        return _back(staff_id)
    return render_template("admin/staff_card.html", person=person, code=code)


@bp.route("/staff/<int:staff_id>/close", methods=["POST"])
@staff_required
def close_staff(staff_id: int):
    staff.get_staff(db(), current_user, staff_id)
    return _act(
        staff_id,
        staff.close_staff,
        lambda name: _("%(name)s: account closed, signed out everywhere.", name=name),
    )


@bp.route("/staff/<int:staff_id>/reopen", methods=["POST"])
@staff_required
def reopen_staff(staff_id: int):
    staff.get_staff(db(), current_user, staff_id)
    return _act(
        staff_id, staff.reopen_staff, lambda name: _("%(name)s: account open again.", name=name)
    )
