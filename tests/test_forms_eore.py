"""The risk-education form: participants by sex and age, and the totals rule from DOMAIN.md."""

import pytest

from surveys.forms import EoreForm
from surveys.models import PARTICIPANT_FIELDS
from tests import report_data as data


def form(user, **kw) -> EoreForm:
    return EoreForm(data.eore(**kw), user=user)


def test_a_session_whose_total_is_the_sum_of_its_breakdown_is_valid(collector):
    session = form(collector)

    assert session.is_valid(), session.errors
    assert session.cleaned_data["total_participants"] == 34


def test_counts_left_empty_are_none(collector):
    session = form(collector)

    assert session.is_valid(), session.errors
    assert session.cleaned_data["female_0_4"] == 0 and session.cleaned_data["male_60_plus"] == 0


def test_a_total_that_is_not_the_sum_is_refused_beside_the_total(collector):
    session = form(collector, total_participants="30")

    assert not session.is_valid()
    assert session.errors["total_participants"] == [
        "The total is not the sum of the people counted by sex and age."]


def test_a_total_left_empty_is_the_sum_of_the_grid(collector):
    # As the API does (capture.derive_defaults): one rule for both doors.
    session = form(collector, total_participants="")

    assert session.is_valid(), session.errors
    assert session.instance.total_participants == session.instance.breakdown_total > 0


@pytest.mark.parametrize("field, message", [
    ("persons_with_disabilities", "Persons with disabilities cannot be more than the total."),
    ("first_time_attendees", "First-time attendees cannot be more than the total."),
])
def test_parts_of_the_total_cannot_exceed_it(collector, field, message):
    session = form(collector, **{field: "35"})

    assert not session.is_valid()
    assert session.errors[field] == [message]


def test_it_reads_arabic_and_persian_digits_in_the_grid(collector):
    session = form(collector, female_5_12="١٠", male_5_12="۱۲", total_participants="٣٤")

    assert session.is_valid(), session.errors


def test_negative_counts_are_refused(collector):
    session = form(collector, male_0_4="-2", total_participants="32")

    assert not session.is_valid() and "male_0_4" in session.errors


def test_the_grid_has_a_row_per_age_band_with_a_female_and_a_male_cell(collector):
    grid = EoreForm(user=collector).grid()

    assert [label for label, _cells in grid] == ["0–4", "5–12", "13–17", "18–24", "25–59", "60+"]
    assert [cell.name for _label, cells in grid for cell in cells] == PARTICIPANT_FIELDS
    assert 'inputmode="numeric"' in str(grid[0][1][0])


def test_a_new_form_starts_with_empty_counts_and_no_total(collector):
    new = EoreForm(user=collector)

    assert 'value=' not in new["total_participants"].as_widget()
    assert 'value=' not in new["female_5_12"].as_widget() and 'placeholder="0"' in new["female_5_12"].as_widget()
