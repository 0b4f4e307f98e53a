"""Bulk enrolment: upload a CSV file, read the preview (every problem with its row number),
confirm, print the sign-in cards. Between preview and confirmation the rows travel in a signed,
expiring hidden field bound to the trainer: nothing is written before the confirmation."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from learn.auth.forms import EmptyForm
from learn.services import enrolment, groups
from learn.services.errors import NotFound
from learn.trainer.blueprint import bp, group_choices
from learn.trainer.forms import ImportForm
from learn.web.access import staff_required
from learn.web.params import int_arg, parse_id
from learn.web.transactions import db

PREVIEW_MAX_AGE = 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="enrolment-preview")


def sign_preview(preview: enrolment.Preview, group_id: int | None) -> str:
    # The usernames shown in the preview travel as given: confirming twice (a double click, a
    # resent form) finds them taken and creates nothing more.
    rows = [
        [raw.row, raw.name, shown.username, list(raw.groups), shown.generated]
        for raw, shown in zip(preview.raw, preview.rows, strict=True)
    ]
    return _serializer().dumps(
        {"u": current_user.id, "o": current_user.organisation_id, "g": group_id, "r": rows}
    )


def read_preview(value: str) -> tuple[list[enrolment.RawRow], int | None] | None:
    """The rows of a signed preview, or None if altered, expired or someone else's."""
    try:
        data = _serializer().loads(value or "", max_age=PREVIEW_MAX_AGE)
        if data["u"] != current_user.id or data["o"] != current_user.organisation_id:
            return None
        rows = [
            enrolment.RawRow(
                int(n), str(name), str(username), tuple(str(g) for g in names), bool(proposed)
            )
            for n, name, username, names, proposed in data["r"]
        ]
        group_id = data["g"] if isinstance(data["g"], int) else None
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return rows, group_id


def _page(**context):
    return render_template("trainer/import.html", max_rows=enrolment.MAX_ROWS, **context)


def _form():
    form = ImportForm()
    form.group.choices = group_choices(_("No group: use the file's “groupe” column"))
    return form


def _chosen_group(value: str | None):
    if not value:
        return None
    group_id = parse_id(value)
    if group_id is None:
        raise NotFound()
    return groups.get_group(db(), current_user, group_id)


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_learners():
    form = _form()
    if request.method == "GET":
        preselected = int_arg("group")
        if preselected is not None:
            form.group.data = str(groups.get_group(db(), current_user, preselected).id)
        return _page(form=form, preview=None)
    form.validate_on_submit()  # the CSRF token; the file is checked by the service
    group = _chosen_group(form.group.data)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors = [*form.file.errors, _("Choose a file.")]
        return _page(form=form, preview=None), 400
    data = upload.stream.read(enrolment.MAX_BYTES + 1)
    preview = enrolment.preview(db(), current_user, data, group)
    return _page(
        form=form,
        preview=preview,
        group=group,
        token=sign_preview(preview, group.id if group else None) if preview.ok else None,
        confirm_form=EmptyForm(),
    ), (200 if preview.ok else 400)


@bp.route("/import/confirm", methods=["POST"])
@staff_required
def confirm_import():
    EmptyForm().validate_on_submit()
    read = read_preview(request.form.get("preview", ""))
    if read is None:
        form = _form()
        form.form_errors.append(_("This preview has expired or was changed: send the file again."))
        return _page(form=form, preview=None), 400
    rows, group_id = read
    group = groups.get_group(db(), current_user, group_id) if group_id is not None else None
    checked, cards = enrolment.enrol(
        db(),
        current_user,
        rows,
        group,
        code_days=current_app.config["LEARN_CODE_DAYS"],
        same_names_confirmed=request.form.get("same_names") == "yes",
    )
    if not checked.ok:
        return _page(form=_form(), preview=checked, group=group, token=None), 400
    if not cards:
        # Only the confirmation of the rows with the same name is missing.
        return _page(
            form=_form(),
            preview=checked,
            group=group,
            token=sign_preview(checked, group_id),
            confirm_form=EmptyForm(),
            confirm_error=_("Tick the box to say that these rows are different people."),
        ), 400
    return render_template("trainer/cards.html", cards=cards, group=group)
