"""The tutor's assessment form. Lengths are checked here (a message, never a cut) and again by
the service, which owns the rules; the criteria and the scale come from the content."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from learn.forms import Form
from learn.services.tutoring import MAX_NOTE, MAX_PLACE


def too_long(n: int):
    return Length(max=n, message=_l("At most %(max)d characters: shorten it.", max=n))


class AssessmentForm(Form):
    assessed_on = DateField(_l("Date"), validators=[Optional()])
    place = StringField(
        _l("Place"),
        validators=[too_long(MAX_PLACE)],
        description=_l("For example: the shop's fruit and vegetable section."),
    )
    note = TextAreaField(
        _l("What you saw"),
        validators=[too_long(MAX_NOTE)],
        description=_l("The facts: what the learner did or said. A few words are enough."),
        render_kw={"rows": 5},
    )
    form_token = HiddenField()
