"""The easy-read lint (sentence length, italics, capitals, abbreviations, times, idioms) and markup
checks.

A sentence ends with `.`, `!`, `?` or `:` followed by a space, or at the end of a line (so also at
the end of a list item or a heading); but a colon followed by a list with commas ("X : a, b, c.")
does not end it: the list belongs to its sentence, and a long list is flagged as a long sentence. A
word is a run of characters between spaces that holds at least one letter or digit.
"""

from __future__ import annotations

import re

from .pictograms import strip_marks
from .render import GLOSS_PATTERN, count_text_words

Line = tuple[int, str]
Found = tuple[int, str, str]  # (line, severity, message)

WARN_WORDS = 15
ERROR_WORDS = 20
GLOSS_RE = re.compile(GLOSS_PATTERN)
IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK_RE = re.compile(r"\[([^\[\]]*)\]\([^)]*\)")
AUTOLINK_RE = re.compile(r"<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>")
URL_RE = re.compile(r"\b(?:https?://|mailto:|module:)\S+")
ATTR_RE = re.compile(r"\{[:#][^}]*\}")
LEAD_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,3}[.)]\s+|>\s*|\[[^\]]*\]\s*|!!!\s+\w+\s*)*")
KEY_LINE_RE = re.compile(r"^(explanation|correct|incorrect)\s*:\s*")
SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+")
COLON_RE = re.compile(r"(?<=:)\s+")
# French easy-read writes times "7 h 30" and "14 h"; these catch "7h30", "07:30", "7H", "14h00"
COLON_TIME_RE = re.compile(r"(?<![\w:.,])(\d{1,2}):(\d{2})(?![\w:])")
H_TIME_RE = re.compile(r"(?<![\w:.,])(\d{1,2})( ?)([hH])( ?)(\d{2})?(?!\w)")
# Idioms that easy-read must not use unexplained (a glossary entry explains one). One place, kept
# short: the figures of speech that came up in the shipped content and their closest kin.
IDIOMS = {
    "fr": {
        "plan B": r"plans? B",
        "craquer": r"craqu(?:er|e|es|ent|é|ée|és|ées|ait|aient|ons|ez|era|erez)",
        "coup de main": r"coups? de main",
        "ça roule": r"ça roule",
        "avoir la tête dans le guidon": r"(?:la )?tête dans le guidon",
        "mettre la main à la pâte": r"la main à la pâte",
        "avoir du pain sur la planche": r"du pain sur la planche",
        "se serrer les coudes": r"serr\w* les coudes",
        "jeter l'éponge": r"jet\w* l['’]éponge",
        "mettre les bouchées doubles": r"les bouchées doubles",
        "prendre le taureau par les cornes": r"le taureau par les cornes",
        "ne pas avoir froid aux yeux": r"froid aux yeux",
    },
    "en": {
        "plan B": r"plans? B",
        "piece of cake": r"piece of cake",
        "on the same page": r"on the same page",
        "hit the ground running": r"hit\w* the ground running",
        "think outside the box": r"outside the box",
        "the ball is in your court": r"ball is in \w+ court",
        "cut corners": r"cut\w* corners",
    },
    "de": {
        "Plan B": r"Plan B",
        "Daumen drücken": r"Daumen (?:drück\w*|gedrückt)|drück\w*(?: \w+)? die Daumen",
        "ins kalte Wasser springen": r"ins kalte Wasser",
        "unter einen Hut bringen": r"unter einen Hut",
        "auf dem Schlauch stehen": r"auf dem Schlauch",
        "ins Fettnäpfchen treten": r"ins Fettnäpfchen",
        "den Nagel auf den Kopf treffen": r"den Nagel auf den Kopf",
        "die Ärmel hochkrempeln": r"Ärmel hoch\w*",
        "unter die Arme greifen": r"unter die Arme",
        "Tomaten auf den Augen haben": r"Tomaten auf den Augen",
    },
    "it": {
        "piano B": r"pian[oi] B",
        "in bocca al lupo": r"in bocca al lupo",
        "dare una mano": r"(?:d[aàiò]\w*|do) una mano",
        "rimboccarsi le maniche": r"rimbocc\w* le maniche",
        "avere le mani in pasta": r"le mani in pasta",
        "essere al verde": r"(?:essere|sono|sei|è|siamo|siete|resta\w*) al verde",
        "tagliare la corda": r"tagli\w* la corda",
        "prendere due piccioni con una fava": r"due piccioni con una fava",
        "avere la testa tra le nuvole": r"(?:la )?testa tra le nuvole",
        "costare un occhio della testa": r"un occhio della testa",
    },
}
IDIOM_RES = {
    lang: [
        (name, re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE))
        for name, pattern in found.items()
    ]
    for lang, found in IDIOMS.items()
}
BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
ITALIC_RES = (
    re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\w*])"),
    re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?!\w)"),
)
CAPS_RE = re.compile(r"(?<![\w'’-])([^\W\d_]{3,})(?![\w'’-])")
ABBREVIATIONS = re.compile(
    r"(?<![\w.])(etc\.|ex\.|p\.\s?ex\.|cf\.|e\.g\.|i\.e\.|M\.(?=\s)|MM\.|Mme|Mmes|Mlle|Mlles|Mr\.?|"
    r"Mrs\.?|Dr\.?|n°|N°|nb\.|env\.|approx\.|vs\.?|tél\.|qqn|qqch|pp?\.\s?\d)(?![\w])"
)
# Each language's own abbreviations, on top of the list above (which every language keeps). Not
# shared, because some are words elsewhere: "es." ends a German sentence ("Ich mache es.").
LANG_ABBREVIATIONS = {
    "de": re.compile(
        r"(?<![\w.])(z\.\s?B\.|usw\.|bzw\.|d\.\s?h\.|u\.\s?a\.|z\.\s?T\.|ca\.|ggf\.|evtl\.|"
        r"inkl\.|bzgl\.|vgl\.|Nr\.|Str\.|Tel\.|S\.\s?\d+)(?![\w])"
    ),
    "it": re.compile(
        r"(?<![\w.])(ecc\.|ad\s?es\.|p\.\s?es\.|[Ee]s\.|pag\.\s?\d*|ca\.|Sig\.(?:ra)?|"
        r"dott\.(?:ssa)?|tel\.|n\.\s?\d+)(?![\w])"
    ),
}
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s|/?>)")
SEPARATOR_RE = re.compile(r"^\s*(?:\|?\s*:?-{3,}:?\s*)+\|?\s*$|^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def plain_text(line: str) -> str:
    """The words a reader sees on a Markdown line (links, marks and markers removed)."""
    text = GLOSS_RE.sub(lambda m: m.group(1), strip_marks(line))
    text = IMAGE_RE.sub(lambda m: m.group(1) + ".", text)
    text = LINK_RE.sub(lambda m: m.group(1), text)
    text = AUTOLINK_RE.sub("", text)
    text = URL_RE.sub("link", text)
    text = ATTR_RE.sub("", text)
    text = LEAD_RE.sub("", text, count=1)
    text = KEY_LINE_RE.sub("", text)
    return text.replace("**", "").replace("__", "").replace("`", "")


def _italics(line: str) -> bool:
    text = URL_RE.sub("", GLOSS_RE.sub(lambda m: m.group(1), line))
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = BOLD_RE.sub(lambda m: m.group(2), text)
    return any(r.search(text) for r in ITALIC_RES)


def check_italics(lines: list[Line], severity: str) -> list[Found]:
    """Italics (`*x*`, `_x_`) on any line; `**bold**` is the emphasis to use."""
    return [
        (n, severity, "italics are hard to read: use **bold** for emphasis")
        for n, raw in lines
        if ("*" in raw or "_" in raw) and not SEPARATOR_RE.match(raw) and _italics(raw)
    ]


def check_html(lines: list[Line]) -> list[Found]:
    """Raw HTML is shown as text: warn the author."""
    return [
        (n, "warning", "HTML is not interpreted (it is shown as text): write Markdown instead")
        for n, raw in lines
        if "<" in raw and HTML_TAG_RE.search(raw)
    ]


def _short(sentence: str, words: int = 6) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, whether it holds a list after a colon) for a line of text: "X : a, b, c." is
    one sentence, up to its end."""
    found = []
    for sentence in SENTENCE_END_RE.split(text):
        parts = COLON_RE.split(sentence)
        current, has_list = parts[0], False
        for part in parts[1:]:
            if "," in part:
                current, has_list = f"{current} {part}", True
            else:
                found.append((current, has_list))
                current, has_list = part, False
        found.append((current, has_list))
    return found


def _length_problem(sentence: str, has_list: bool) -> tuple[str, str] | None:
    """(severity, message) for a long sentence. A sentence is an error over 20 words; one that
    is long only because of its list after a colon is a warning (the words are short, the fix is
    to write the list one item a line)."""
    count = count_text_words(sentence)
    if count <= WARN_WORDS:
        return None
    longest_part = max(count_text_words(part) for part in COLON_RE.split(sentence))
    if longest_part > ERROR_WORDS:
        return (
            "error",
            f"easy-read: a sentence of {longest_part} words (over {ERROR_WORDS}); split it: "
            f"'{_short(sentence)}'",
        )
    if has_list:
        return (
            "warning",
            f"easy-read: a sentence with a list, of {count} words (at most {WARN_WORDS}); write "
            f"the list one item a line: '{_short(sentence)}'",
        )
    return (
        "warning",
        f"easy-read: a sentence of {count} words (at most {WARN_WORDS}); shorten it: "
        f"'{_short(sentence)}'",
    )


def _time_notations(text: str) -> list[tuple[str, str]]:
    """(as written, as easy-read writes it) for each time not written "7 h 30" or "14 h"."""
    found = []
    for m in COLON_TIME_RE.finditer(text):
        hours, minutes = int(m.group(1)), m.group(2)
        found.append((m.group(0), f"{hours} h" + (f" {minutes}" if minutes != "00" else "")))
    for m in H_TIME_RE.finditer(text):
        hours, space, letter, space2, minutes = m.groups()
        good = (
            letter == "h"
            and space == " "
            and not (len(hours) == 2 and hours.startswith("0"))
            and (minutes is None or (space2 == " " and minutes != "00"))
        )
        if not good:
            better = f"{int(hours)} h" + (f" {minutes}" if minutes and minutes != "00" else "")
            found.append((m.group(0).strip(), better))
    return found


def _idioms(text: str, lang: str, explained: set[str]) -> list[str]:
    return [
        name
        for name, pattern in IDIOM_RES.get(lang, ())
        if pattern.search(text) and name.casefold() not in explained
    ]


def lint_easy(lines: list[Line], glossary_words: set[str], lang: str = "fr") -> list[Found]:
    """The easy-read checks on text lines; glossary_words are allowed in capitals, and an idiom
    that is a glossary term is explained."""
    found: list[Found] = []
    allowed = {w.upper() for w in glossary_words}
    explained = {w.casefold() for w in glossary_words}
    for n, raw in lines:
        if not raw.strip() or SEPARATOR_RE.match(raw):
            continue
        text = plain_text(raw)
        cells = text.split("|") if raw.lstrip().startswith("|") else [text]
        for cell in cells:
            for sentence, has_list in sentences(cell):
                problem = _length_problem(sentence, has_list)
                if problem:
                    found.append((n, *problem))
        for word in CAPS_RE.findall(text):
            if word.isupper() and word not in allowed:
                found.append(
                    (
                        n,
                        "warning",
                        f"easy-read: '{word}' is in capitals; write it in "
                        "lower case, or define it in the glossary if it is an acronym",
                    )
                )
        abbreviations = ABBREVIATIONS.findall(text)
        if lang in LANG_ABBREVIATIONS:
            abbreviations += LANG_ABBREVIATIONS[lang].findall(text)
        for abbr in abbreviations:
            found.append((n, "warning", f"easy-read: write the abbreviation '{abbr}' in full"))
        # French only: "7:30 Uhr", "alle 7:30" and "at 7:30" are how German, Italian and
        # English write times.
        for written, better in _time_notations(text) if lang == "fr" else ():
            found.append(
                (
                    n,
                    "warning",
                    f"easy-read: write the time '{written}' as '{better}' (7 h 30, 14 h)",
                )
            )
        for idiom in _idioms(text, lang, explained):
            found.append(
                (
                    n,
                    "warning",
                    f"easy-read: '{idiom}' is an idiom: say plainly what it means, or explain it "
                    "in the glossary",
                )
            )
    found.extend(check_italics(lines, "error"))
    return found
