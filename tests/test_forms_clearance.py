"""The clearance form: dates, areas, the handover on completion, and the explosive item lines."""

from datetime import timedelta

import pytest

from surveys.forms import ClearanceForm, ItemFormSet
from surveys.models import ClearanceReport
from tests import factories as f
from tests import report_data as data


def form(user, site, **kw) -> ClearanceForm:
    return ClearanceForm(data.clearance(site, **kw), user=user)


def test_a_complete_progress_report_is_valid(collector, site):
    clearance = form(collector, site)

    assert clearance.is_valid(), clearance.errors


def test_it_reads_arabic_digits_in_areas_and_depth(collector, site):
    clearance = form(collector, site, cleared_area_m2="٣٠٠٠", reduced_area_m2="۱۰۰۰", depth_cm="٣٠")

    assert clearance.is_valid(), clearance.errors
    assert (clearance.cleaned_data["cleared_area_m2"], clearance.cleaned_data["reduced_area_m2"]) == (3000, 1000)


def test_the_end_cannot_be_before_the_start(collector, site):
    clearance = form(collector, site, start_date=str(f.YESTERDAY), end_date=str(f.YESTERDAY - timedelta(days=4)))

    assert not clearance.is_valid()
    assert clearance.errors["end_date"] == ["The end date is before the start date."]


def test_a_completion_report_asks_for_the_handover(collector, site):
    clearance = form(collector, site, stage="completion")

    assert not clearance.is_valid()
    assert clearance.errors["handover_date"] == ["A completion report needs the date the land was handed over."]
    assert clearance.errors["handed_over_to"] == ["A completion report needs who received the land."]

    done = form(collector, site, stage="completion", handover_date=str(f.YESTERDAY),
                handed_over_to="Mukhtar of Al-Mashlab")
    assert done.is_valid(), done.errors


def test_negative_areas_are_refused(collector, site):
    clearance = form(collector, site, cleared_area_m2="-10")

    assert not clearance.is_valid() and "cleared_area_m2" in clearance.errors


def test_a_site_of_another_organisation_cannot_be_chosen(collector, other_org):
    clearance = form(collector, f.site(other_org))

    assert not clearance.is_valid()
    assert "not one you may report on" in clearance.errors["site"][0]


def items(post: dict) -> ItemFormSet:
    return ItemFormSet(post, instance=ClearanceReport(), prefix="items")


def test_item_lines_read_arabic_digits_and_skip_empty_lines(site):
    lines = items(data.clearance(site, [
        {"category": "uxo", "quantity": "١٢", "weight_kg": "٤٫٥", "disposal": "destroyed_in_situ"},
        {"category": "", "quantity": "", "weight_kg": "", "disposal": ""},
    ]))

    assert lines.is_valid(), lines.errors
    filled = [form.cleaned_data for form in lines if form.has_changed()]
    assert len(filled) == 1 and filled[0]["quantity"] == 12 and str(filled[0]["weight_kg"]) == "4.5"


@pytest.mark.parametrize("field, value", [("quantity", "0"), ("weight_kg", "-1"), ("category", "landmine"),
                                          ("disposal", "")])
def test_an_item_line_with_a_wrong_answer_is_refused(site, field, value):
    line = {"category": "uxo", "quantity": "2", "weight_kg": "3", "disposal": "destroyed_in_situ", field: value}

    lines = items(data.clearance(site, [line]))

    assert not lines.is_valid()
    assert field in lines.errors[0]


def test_areas_left_empty_are_none_and_start_empty_on_a_new_form(collector, site):
    clearance = form(collector, site, cancelled_area_m2="", reduced_area_m2="", depth_cm="")

    assert clearance.is_valid(), clearance.errors
    assert (clearance.cleaned_data["cancelled_area_m2"], clearance.cleaned_data["depth_cm"]) == (0, 0)
    assert 'value="0"' not in ClearanceForm(user=collector)["cleared_area_m2"].as_widget()
