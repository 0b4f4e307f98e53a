"""Forms of the trainer's side."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional


class NewLearnerForm(FlaskForm):
    display_name = StringField(
        _l("Name shown"),
        validators=[DataRequired(message=_l("Enter the learner's name.")), Length(max=120)],
        render_kw={"autocomplete": "off"},
    )
    username = StringField(
        _l("Username"),
        validators=[DataRequired(message=_l("Enter a username.")), Length(max=64)],
        description=_l("Lower-case letters, digits, dots or dashes, for example: amina.k"),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password (optional)"),
        validators=[Optional(), Length(max=256)],
        description=_l("At least 8 characters. Leave empty to print a one-time sign-in code."),
        render_kw={"autocomplete": "new-password"},
    )
    with_code = BooleanField(_l("Make a one-time sign-in code to print"), default=True)
