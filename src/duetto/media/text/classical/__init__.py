"""Classical Chinese poetry forms: tones, rhymes, form patterns, validation and decoder constraints.

    >>> from duetto.media.text.classical import validate
    >>> validate("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。", "五绝").ok
    True

Pure Python, no model: ``tones`` knows how characters sound (平水韵 or 中华新韵), ``forms`` holds
the catalogue, ``validate`` explains where a poem breaks its form, ``constraints`` tells a
decoder what may go where.
"""

from duetto.media.text.classical.constraints import (
    CharTable,
    Slot,
    char_table,
    choose_rhyme_groups,
    slots,
)
from duetto.media.text.classical.forms import FORMS, Form, Variant, get_form, list_forms
from duetto.media.text.classical.tones import (
    LEVEL,
    OBLIQUE,
    Reading,
    RhymeSystem,
    readings,
    rhyme_groups,
    tone_classes,
)
from duetto.media.text.classical.validate import Issue, Report, split_lines, validate

__all__ = [
    "FORMS",
    "LEVEL",
    "OBLIQUE",
    "CharTable",
    "Form",
    "Issue",
    "Reading",
    "Report",
    "RhymeSystem",
    "Slot",
    "Variant",
    "char_table",
    "choose_rhyme_groups",
    "get_form",
    "list_forms",
    "readings",
    "rhyme_groups",
    "slots",
    "split_lines",
    "tone_classes",
    "validate",
]
