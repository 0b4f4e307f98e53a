"""Syllables for the reading mode: words split by pyphen's hyphenation dictionaries, corrected by
two rules and by the authors' exception list (content/softskills/syllables.yaml), then marked up
in content HTML so that CSS can separate or colour them.

Hyphenation dictionaries give the places where a word may break at the end of a line, which is
close to, but not the same as, its spoken syllables: French ones never isolate a first vowel
(é-cou-ter) and English ones may isolate a consonant. Both are corrected here; what the rules
still get wrong goes in the exception list.

The markup keeps the text itself untouched, so that copying it or reading it with a screen reader
gives the original words: each syllable of a word of two or more is a `<span class="sy">` (every
second one also `sy-b`), and between two syllables an empty `<span class="sy-sep"
aria-hidden="true">`, whose separator is drawn by CSS (generated content is not copied)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache

import pyphen

# (pyphen language, left, right); German keeps 2 letters at the start (its dictionary would cut
# "A-r-beit" with 1), Italian cuts after a lone first vowel (a-scol-ta-re).
DICTIONARIES = {
    "fr": ("fr", 1, 1),
    "en": ("en_US", 1, 2),
    "de": ("de_DE", 2, 2),
    "it": ("it_IT", 1, 1),
}
WORD_RE = re.compile(r"[^\W\d_]+")
VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿœæ")
# Consonant groups that begin a French syllable together (bl-, tr-, ch-, gn-, qu-...).
FR_ONSETS = re.compile(
    r"(?:[bcdfgkptv][lr]|ch|ph|th|gn|qu|[bcdfghjklmnpqrstvwxz])(?=[aeiouyàâäéèêëîïôöùûüÿœ])"
)
FR_MUTE_ENDINGS = frozenset({"e", "es", "ent"})
FR_PREFIX_RE = re.compile(r"(?:con|cul)(?![aeiouyàâäéèêëîïôöùûüÿœ])")
FR_ILL_RE = re.compile(r"(?<=[aeiouéèêàâôû]il)(?=l[aeiouyéèêàâ])")
FR_HIATUS_RE = re.compile(r"(?<=é)(?=[aiouéèêâôî]|e(?!s?$|nt$))")
# A tag, quoted attribute values included: a ">" inside one does not end the tag.
TAG_RE = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
SKIPPED_TAGS = frozenset({"code", "pre", "script", "style", "textarea", "title"})
SEPARATOR = '<span class="sy-sep" aria-hidden="true"></span>'


def _has_vowel(text: str) -> bool:
    return any(ch in VOWELS for ch in text.casefold())


def _merge_voiceless(parts: list[str]) -> list[str]:
    """A syllable has a vowel: a piece without one joins the next (or, last, the previous)."""
    merged: list[str] = []
    carry = ""
    for part in parts:
        part = carry + part
        if _has_vowel(part):
            merged.append(part)
            carry = ""
        else:
            carry = part
    if carry:
        if merged:
            merged[-1] += carry
        else:
            merged.append(carry)
    return merged


def _french_cuts(folded: str) -> set[int]:
    """Where French syllables break but the hyphenation dictionary (made for the end of a
    line) never does: after a lone first vowel (é-cou-ter, i-ni-tia-tive) unless only a mute e
    follows (une, ose); after con-, cons- and cul-, which typographers avoid (con-signe,
    cons-truire, cul-ture); between the two l of -ill- after a vowel (tra-vail-leur,
    meil-leure, but feuille); between é and a vowel that is heard (cré-er, thé-âtre, but
    jour-née)."""
    cuts: set[int] = set()
    first = FR_ONSETS.match(folded, 1)
    if (
        len(folded) >= 3
        and folded[0] in VOWELS
        and folded[1] not in VOWELS
        and first
        and folded[first.end() :] not in FR_MUTE_ENDINGS
    ):
        cuts.add(1)
    prefix = FR_PREFIX_RE.match(folded)
    if prefix:
        cut = 3 if FR_ONSETS.match(folded, 3) else 4
        if _has_vowel(folded[cut:]) and folded[cut:] not in FR_MUTE_ENDINGS:
            cuts.add(cut)
    for match in FR_ILL_RE.finditer(folded):
        if folded[match.start() + 1 :] not in FR_MUTE_ENDINGS:
            cuts.add(match.start())
    for match in FR_HIATUS_RE.finditer(folded):
        cuts.add(match.start())
    return cuts


def _apply_shape(word: str, syllables: tuple[str, ...]) -> tuple[str, ...]:
    """The exception's syllables cut from the word as written (its capitals kept)."""
    out, start = [], 0
    for syllable in syllables:
        out.append(word[start : start + len(syllable)])
        start += len(syllable)
    return tuple(out)


class SyllableSplitter:
    """Splits words of one language; `exceptions` maps casefolded words to their syllables."""

    def __init__(self, lang: str, exceptions: Mapping[str, tuple[str, ...]] | None = None):
        name, left, right = DICTIONARIES.get(lang, DICTIONARIES["fr"])
        self.lang = lang if lang in DICTIONARIES else "fr"
        self.exceptions = exceptions or {}
        self._pyphen = pyphen.Pyphen(lang=name, left=left, right=right)
        self.split = lru_cache(maxsize=20000)(self._split)
        # A variant's HTML is built once per content version: one entry per part or question.
        self.mark_html_cached = lru_cache(maxsize=4096)(self.mark_html)

    def _split(self, word: str) -> tuple[str, ...]:
        """The syllables of one word (letters only), in order, joining back to the word."""
        known = self.exceptions.get(word.casefold())
        if known is not None and "".join(known).casefold() == word.casefold():
            return _apply_shape(word, known)
        if len(word) < 2:
            return (word,)
        cuts = set(self._pyphen.positions(word))
        if self.lang == "fr":
            cuts |= _french_cuts(word.casefold())
        bounds = [0, *sorted(c for c in cuts if 0 < c < len(word)), len(word)]
        parts = _merge_voiceless([word[a:b] for a, b in zip(bounds, bounds[1:], strict=False)])
        return tuple(parts)

    def tokens(self, text: str) -> list[tuple[str, ...]]:
        """A plain text as pieces for a template to mark up: each word as its syllables, each
        run of other characters as a 1-tuple."""
        out: list[tuple[str, ...]] = []
        position = 0
        for match in WORD_RE.finditer(text):
            if match.start() > position:
                out.append((text[position : match.start()],))
            out.append(self.split(match.group()))
            position = match.end()
        if position < len(text):
            out.append((text[position:],))
        return out

    def mark_text(self, text: str) -> str:
        """Escaped HTML of a plain text with every word of two syllables or more marked up."""
        out: list[str] = []
        position = 0
        for match in WORD_RE.finditer(text):
            out.append(html.escape(text[position : match.start()], quote=False))
            position = match.end()
            syllables = self.split(match.group())
            if len(syllables) < 2:
                out.append(html.escape(match.group(), quote=False))
                continue
            spans = []
            for index, syllable in enumerate(syllables):
                kind = "sy sy-b" if index % 2 else "sy"
                spans.append(f'<span class="{kind}">{html.escape(syllable, quote=False)}</span>')
            out.append(SEPARATOR.join(spans))
        out.append(html.escape(text[position:], quote=False))
        return "".join(out)

    def mark_html(self, fragment: str) -> str:
        """Content HTML (already sanitised) with the words of its text marked up; tags, their
        attributes and the text of code blocks are left as they are."""
        out: list[str] = []
        skipping = 0
        for piece in TAG_RE.split(fragment):
            if piece.startswith("<"):
                out.append(piece)
                tag = TAG_NAME_RE.match(piece)
                if tag and tag.group(2).lower() in SKIPPED_TAGS:
                    skipping = max(0, skipping - 1) if tag.group(1) else skipping + 1
            elif piece:
                out.append(piece if skipping else self.mark_text(html.unescape(piece)))
        return "".join(out)


_splitters: dict[str, tuple[Mapping | None, SyllableSplitter]] = {}


def splitter(lang: str, exceptions: Mapping[str, tuple[str, ...]] | None) -> SyllableSplitter:
    """The splitter of a language, rebuilt (with an empty cache) when the catalog's exception
    list is a new one (content reloaded)."""
    held = _splitters.get(lang)
    if held is None or held[0] is not exceptions:
        held = (exceptions, SyllableSplitter(lang, exceptions))
        _splitters[lang] = held
    return held[1]


def mark_syllables(fragment: str, lang: str, exceptions: Mapping | None) -> str:
    """Content HTML with its syllables marked, cached per fragment for each language and
    exception list, so a part is marked once, not on every request."""
    lang = lang if lang in DICTIONARIES else "fr"
    return splitter(lang, exceptions).mark_html_cached(fragment)
