"""Numbers as phones type them: Arabic-Indic and Persian digits, the Arabic decimal separator, thousands separators."""

import pytest

from surveys.forms import DecimalField, FloatField, IntegerField, normalise_digits


@pytest.mark.parametrize("typed, latin", [
    ("١٢٣٤٥", "12345"),
    ("۱۲۳۴۵", "12345"),
    ("٣٥٫٩٥", "35.95"),
    ("١٬٢٠٠", "1200"),
    ("12\u00a0000", "12000"),
    ("−5", "-5"),
    ("abc", "abc"),
])
def test_it_turns_any_digits_into_latin_ones(typed, latin):
    assert normalise_digits(typed) == latin


def test_it_leaves_what_is_not_text_alone():
    assert normalise_digits(None) is None and normalise_digits(12) == 12


def test_number_fields_read_arabic_and_persian_digits():
    assert IntegerField().clean("٤٥٠") == 450
    assert IntegerField().clean("۴۵۰") == 450
    assert FloatField().clean("٣٥٫٩٥١٢") == pytest.approx(35.9512)
    assert str(DecimalField(decimal_places=2).clean("١٢٫٥")) == "12.5"


def test_number_fields_bring_up_the_numeric_keypad_without_browser_number_parsing():
    assert IntegerField().widget.input_type == "text"
    assert IntegerField().widget_attrs(IntegerField().widget)["inputmode"] == "numeric"
    assert FloatField().widget_attrs(FloatField().widget)["inputmode"] == "decimal"


def test_a_number_that_is_not_one_is_refused_in_plain_words():
    with pytest.raises(Exception, match="Enter a whole number"):
        IntegerField().clean("١٢x")
