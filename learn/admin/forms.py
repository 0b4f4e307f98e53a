"""Forms of the organisation admin's pages."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from learn.forms import Form


class EraseForm(Form):
    """Erasure cannot be undone: the admin types the learner's username to confirm."""

    confirm = StringField(
        _l("Type the learner's username to confirm"),
        validators=[DataRequired(message=_l("Type the username to confirm.")), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
