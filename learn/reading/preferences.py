"""Reading preferences: the allowlist of every setting, the research-backed preset, and how they
are kept (on the account when signed in, in the session otherwise). Only values of the allowlist
are ever stored or rendered: a preference names a choice, never a piece of CSS."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

# Each setting and its choices, in the order the settings page shows them. The CSS for each value
# is in static/css/reading.css (html[data-rm-<name>="<value>"]).
CHOICES: dict[str, tuple[str, ...]] = {
    "size": ("18", "20", "24", "28", "32"),  # body text in px (at the browser's default 16 px)
    "spacing": ("wide", "wider", "widest"),  # letter and word spacing, always widened together
    "line_height": ("1.5", "1.75", "2"),
    "line_length": ("45", "60", "70"),  # at most this many characters a line
    "theme": ("cream", "blue", "grey", "dark"),
    "font": ("system", "atkinson", "lexend", "opendyslexic"),
    "syllables": ("off", "split", "colour"),
    "ruler": ("1", "3", "5"),  # lines the reading ruler leaves visible
    "rate": ("0.5", "0.75", "1", "1.25", "1.5", "2"),  # read-aloud speed
    "pictures": ("on", "off"),  # pictograms beside the text (shown or hidden, mode on or off)
}
# What the research supports (ACCESSIBILITY.md): about 18 px and up, letter and word spacing
# widened together, at most about 70 characters a line, a tinted background, a plain sans-serif.
PRESET: dict[str, str] = {
    "size": "20",
    "spacing": "wide",
    "line_height": "1.5",
    "line_length": "60",
    "theme": "cream",
    "font": "system",
}
TOOL_DEFAULTS: dict[str, str] = {"syllables": "off", "ruler": "3", "rate": "1", "pictures": "on"}
# The HTML attribute of each setting on <html> (short names keep every page light).
ATTRIBUTES: dict[str, str] = {
    "size": "data-rm-size",
    "spacing": "data-rm-spacing",
    "line_height": "data-rm-lh",
    "line_length": "data-rm-measure",
    "theme": "data-rm-theme",
    "font": "data-rm-font",
    "syllables": "data-rm-syllables",
    "ruler": "data-rm-ruler",
    "rate": "data-rm-rate",
    "pictures": "data-rm-pictures",
}
# The self-hosted files of each font choice, under static/fonts/ (their @font-face rules are in
# static/css/reading.css), the regular weight first.
FONT_FILES: dict[str, tuple[str, ...]] = {
    "system": (),
    **{
        name: tuple(f"fonts/{folder}/{folder}-latin-{weight}-normal.woff2" for weight in (400, 700))
        for name, folder in (
            ("atkinson", "atkinson-hyperlegible"),
            ("lexend", "lexend"),
            ("opendyslexic", "opendyslexic"),
        )
    },
}
# The file preloaded when a font is chosen, so that the text does not change font after its first
# paint: the regular weight only. The bold one is fetched when a page's bold text needs it; on a
# slow line the two preloaded at once would share it, and the text would wait for both.
PRELOADED: dict[str, tuple[str, ...]] = {name: files[:1] for name, files in FONT_FILES.items()}
ON_VALUES = frozenset({"on", "1", "true", "yes"})
OFF_VALUES = frozenset({"off", "0", "false", "no", ""})


class InvalidChoice(ValueError):
    """A submitted value outside the allowlist; `fields` names the settings at fault."""

    def __init__(self, fields: list[str]):
        super().__init__(", ".join(fields))
        self.fields = fields


@dataclass(frozen=True, slots=True)
class ReadingPrefs:
    """One reader's settings. `mode` switches the reading mode on; the other values are what it
    looks like when on (kept while it is off, so turning it on again restores them)."""

    mode: bool = False
    size: str = PRESET["size"]
    spacing: str = PRESET["spacing"]
    line_height: str = PRESET["line_height"]
    line_length: str = PRESET["line_length"]
    theme: str = PRESET["theme"]
    font: str = PRESET["font"]
    syllables: str = TOOL_DEFAULTS["syllables"]
    ruler: str = TOOL_DEFAULTS["ruler"]
    rate: str = TOOL_DEFAULTS["rate"]
    pictures: str = TOOL_DEFAULTS["pictures"]

    def as_dict(self) -> dict:
        """The stored form: plain JSON values."""
        return asdict(self)

    def html_attributes(self) -> list[tuple[str, str]]:
        """(name, value) of the attributes put on <html>: data-rm and one per setting."""
        pairs = [("data-rm", "on" if self.mode else "off")]
        pairs += [(attribute, getattr(self, name)) for name, attribute in ATTRIBUTES.items()]
        return pairs

    @property
    def font_files(self) -> tuple[str, ...]:
        """The font files the pages use (under static/), none while the mode is off."""
        return FONT_FILES[self.font] if self.mode else ()

    @property
    def font_preloads(self) -> tuple[str, ...]:
        """The font files a page preloads (under static/): the regular weight of the chosen font."""
        return PRELOADED[self.font] if self.mode else ()

    @property
    def syllables_shown(self) -> bool:
        """Whether pages mark syllables (server-side, so it works without JavaScript)."""
        return self.mode and self.syllables != "off"


DEFAULTS = ReadingPrefs()


def from_stored(data: Mapping | None) -> ReadingPrefs:
    """Preferences from the account or the session; unknown keys and values out of the
    allowlist (an older version, a hand-edited row) fall back to the defaults."""
    if not isinstance(data, Mapping):
        return DEFAULTS
    values: dict = {"mode": data.get("mode") is True}
    for name, allowed in CHOICES.items():
        value = data.get(name)
        if isinstance(value, str) and value in allowed:
            values[name] = value
    return replace(DEFAULTS, **values)


def parse_form(form: Mapping, current: ReadingPrefs, complete: bool) -> ReadingPrefs:
    """Apply submitted values to `current`. A complete form (the settings page) turns the mode
    off when its box is not ticked; a partial one (a script changing one setting) keeps what it
    does not send. Raises InvalidChoice naming every value out of the allowlist."""
    values: dict = {}
    wrong: list[str] = []
    for name, allowed in CHOICES.items():
        if name in form:
            value = form.get(name)
            if value in allowed:
                values[name] = value
            else:
                wrong.append(name)
    if "mode" in form:
        mode = str(form.get("mode")).strip().lower()
        if mode in ON_VALUES:
            values["mode"] = True
        elif mode in OFF_VALUES:
            values["mode"] = False
        else:
            wrong.append("mode")
    elif complete:
        values["mode"] = False
    if wrong:
        raise InvalidChoice(wrong)
    return replace(current, **values)


def with_preset(current: ReadingPrefs) -> ReadingPrefs:
    """The reading mode on with the research-backed presentation; the tools (syllables, ruler,
    reading speed, pictures) stay as the reader set them."""
    return replace(current, mode=True, **PRESET)


def save_for_user(db, user, prefs: ReadingPrefs, prefers_easy_read: bool | None = None) -> None:
    """Keep the preferences on the account (and the easy-read default when given); flushes."""
    user.reading_preferences = prefs.as_dict()
    if prefers_easy_read is not None:
        user.prefers_easy_read = prefers_easy_read
    db.flush()
