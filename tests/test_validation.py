"""Database constraints (what must never be stored) and validation messages a field worker understands."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys import geo
from surveys.models import ClearanceReport, EoreSession, ExplosiveItem, Report
from tests import factories as f


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Constraints -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["cleared_area_m2", "reduced_area_m2", "cancelled_area_m2", "depth_cm"])
def test_the_database_refuses_negative_clearance_figures(collector, site, field):
    report = f.clearance(collector, site)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClearanceReport.objects.filter(pk=report.pk).update(**{field: -1})


def test_the_database_refuses_an_end_before_the_start(collector, site):
    report = f.clearance(collector, site)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClearanceReport.objects.filter(pk=report.pk).update(end_date=report.start_date - timedelta(days=1))


def test_the_database_refuses_negative_or_zero_item_quantities_and_negative_weights(collector, site):
    report = f.clearance(collector, site, items=[{"category": "uxo", "quantity": 2, "weight_kg": 9,
                                                  "disposal": "destroyed_in_situ"}])
    item = report.items.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExplosiveItem.objects.filter(pk=item.pk).update(quantity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExplosiveItem.objects.filter(pk=item.pk).update(weight_kg=-1)


def test_the_database_refuses_a_participant_total_that_is_not_the_sum(collector):
    session = f.eore(collector)
    with pytest.raises(IntegrityError), transaction.atomic():
        EoreSession.objects.filter(pk=session.pk).update(total_participants=session.total_participants + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EoreSession.objects.filter(pk=session.pk).update(persons_with_disabilities=session.total_participants + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        EoreSession.objects.filter(pk=session.pk).update(first_time_attendees=session.total_participants + 1)


def test_the_database_refuses_half_a_point_and_unreal_coordinates(collector):
    report = f.eore(collector)
    for change in ({"longitude": None}, {"latitude": 91}, {"longitude": -181}, {"gps_accuracy_m": -3}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Report.objects.filter(pk=report.pk).update(**change)


def test_the_device_uuid_is_unique(collector):
    report = f.eore(collector)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.eore(collector, uuid=report.uuid)


def test_references_are_human_and_typed(collector, site):
    year = timezone.now().year
    assert f.survey(collector).reference.startswith(f"SUR-{year}-")
    assert f.clearance(collector, site).reference.startswith(f"CLR-{year}-")
    assert f.eore(collector).reference.startswith(f"EOR-{year}-")


# Validation messages ---------------------------------------------------------------------------------------------------


def test_it_explains_a_total_that_does_not_match_the_breakdown(collector):
    session = f.eore(collector)
    session.total_participants += 5
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "not the sum of the people counted by sex and age" in messages(exc.value)
    assert "total_participants" in exc.value.message_dict


def test_it_refuses_more_persons_with_disabilities_or_first_timers_than_people(collector):
    session = f.eore(collector)
    session.persons_with_disabilities = session.first_time_attendees = session.total_participants + 1
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert set(exc.value.message_dict) >= {"persons_with_disabilities", "first_time_attendees"}


def test_it_refuses_dates_in_the_future(collector):
    session = f.eore(collector)
    session.activity_date = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "in the future" in messages(exc.value)


def test_it_refuses_an_end_date_before_the_start(collector, site):
    report = f.clearance(collector, site)
    report.end_date = report.start_date - timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert exc.value.message_dict["end_date"] == ["The end date is before the start date."]


def test_a_completion_report_needs_its_handover(collector, site):
    report = f.clearance(collector, site)
    report.stage = "completion"
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert {"handover_date", "handed_over_to"} <= set(exc.value.message_dict)


def test_it_refuses_half_a_gps_point_and_unreal_coordinates(collector):
    session = f.eore(collector)
    session.longitude = None
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "both latitude and longitude" in messages(exc.value)
    session.longitude, session.latitude = 39.0, 95.0
    with pytest.raises(ValidationError) as exc:
        session.full_clean()
    assert "Latitude must be between -90 and 90" in messages(exc.value)


def test_it_refuses_a_site_or_team_of_another_organisation(collector, other_org):
    foreign_site = f.site(other_org)
    survey = f.survey(collector)
    survey.site = foreign_site
    survey.team = f.team(other_org)
    with pytest.raises(ValidationError) as exc:
        survey.full_clean()
    assert {"site", "team"} <= set(exc.value.message_dict)


def test_it_refuses_unknown_contamination_types(collector):
    survey = f.survey(collector, contamination=["uxo", "banana"])
    with pytest.raises(ValidationError) as exc:
        survey.full_clean()
    assert "contamination" in exc.value.message_dict


def test_a_valid_report_passes(collector, site):
    f.survey(collector).full_clean()
    f.clearance(collector, site).full_clean()
    f.eore(collector).full_clean()


# Polygons --------------------------------------------------------------------------------------------------------------

# About 100 m × 100 m near Raqqa.
SQUARE = {"type": "Polygon", "coordinates": [[[39.0, 35.95], [39.0011, 35.95], [39.0011, 35.9509], [39.0, 35.9509],
                                              [39.0, 35.95]]]}


def test_polygon_area_is_geodesic():
    # 0.0011° of longitude at 35.95°N ≈ 99.2 m; 0.0009° of latitude ≈ 99.8 m.
    assert geo.polygon_area_m2(SQUARE) == pytest.approx(99.2 * 99.8, rel=0.01)


@pytest.mark.parametrize(("polygon", "problem"), [
    ({"type": "Point", "coordinates": [39, 35]}, "type"),
    ({"type": "Feature", "properties": {}, "geometry": SQUARE}, "type"),  # stored as sent, it broke the API's schema
    ({"type": "Polygon", "coordinates": [[[39, 35], [39.1, 35], [39.1, 35.1]]]}, "short"),
    ({"type": "Polygon", "coordinates": [[[39, 35], [39.1, 35], [39.1, 35.1], [39, 35.1]]]}, "open"),
    ({"type": "Polygon", "coordinates": [[[39, 35], [200, 35], [39.1, 35.1], [39, 35]]]}, "range"),
    ({"type": "Polygon", "coordinates": [[[39, 35], [39.1, 35.1], [39.1, 35], [39, 35.1], [39, 35]]]}, "invalid"),
    ({"type": "Polygon", "coordinates": [[["a", 35], [39.1, 35], [39.1, 35.1], [39, 35]]]}, "point"),
    # A hole outside its shell.
    ({"type": "Polygon", "coordinates": [SQUARE["coordinates"][0],
                                         [[40, 36], [40.001, 36], [40.001, 36.001], [40, 36]]]}, "invalid"),
    # Across the antimeridian, and the whole globe.
    ({"type": "Polygon", "coordinates": [[[179, 10], [-179, 10], [-179, 11], [179, 11], [179, 10]]]}, "antimeridian"),
    ({"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]]},
     "antimeridian"),
    ({"type": "Polygon", "coordinates": [[[39, 35 + i / 10000] for i in range(2001)]]}, "too_many_points"),
])
def test_it_refuses_bad_outlines_with_one_clear_message(polygon, problem):
    assert geo.outline_problem(polygon) == problem
    with pytest.raises(ValidationError, match="not a valid area"):
        geo.validate_polygon(polygon)


def test_a_hole_inside_the_shell_is_accepted():
    hole = [[39.0002, 35.9502], [39.0004, 35.9502], [39.0004, 35.9504], [39.0002, 35.9502]]
    geo.validate_polygon({"type": "Polygon", "coordinates": [SQUARE["coordinates"][0], hole]})
