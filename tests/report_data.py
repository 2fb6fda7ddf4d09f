"""What a phone posts for each report form without JavaScript: plain fields, the photo slots and, for clearance, the
item lines, each keyword overridable (None drops a field)."""

import uuid
from datetime import timedelta

from tests.factories import YESTERDAY


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _post(fields: dict, overrides: dict) -> dict:
    data = {**fields, **overrides}
    return {k: v for k, v in data.items() if v is not None}


def common(**kw) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "activity_date": YESTERDAY.isoformat(), "project": "", "admin_area": "",
        "place_name": "Al-Mashlab", "latitude": "35.950000", "longitude": "39.010000", "gps_accuracy_m": "8",
        "polygon": "", "notes": "", **_management("newphoto", 3), **kw,
    }


def survey(**kw) -> dict:
    return _post(common(), {
        "survey_type": "non_technical", "site": "", "site_name": "Al-Rashid school", "site_type": "school",
        "priority": "high", "classification": "sha", "evidence": "direct", "contamination": ["uxo", "ied"],
        "estimated_area_m2": "12000", "blockage": "services", "expected_beneficiaries": "450", **kw,
    })


def clearance(site, items: list[dict] | None = None, initial: int = 0, **kw) -> dict:
    items = items if items is not None else [
        {"category": "uxo", "quantity": "3", "weight_kg": "4.5", "disposal": "destroyed_in_situ"},
    ]
    lines = {}
    for i, item in enumerate(items):
        lines.update({f"items-{i}-{k}": v for k, v in item.items()})
    return _post(common(), {
        "site": str(site.pk), "stage": "progress", "method": "manual", "start_date": (YESTERDAY - timedelta(days=10)).isoformat(),
        "end_date": YESTERDAY.isoformat(), "cancelled_area_m2": "500", "reduced_area_m2": "1000",
        "cleared_area_m2": "3000", "depth_cm": "30", "handover_date": "", "handed_over_to": "",
        "handover_notes": "", **_management("items", len(items), initial), **lines, **kw,
    })


def eore(**kw) -> dict:
    counts = {f"{sex}_{band}": "" for band in ("0_4", "5_12", "13_17", "18_24", "25_59", "60_plus")
              for sex in ("female", "male")}
    counts.update({"female_5_12": "10", "male_5_12": "12", "female_13_17": "5", "male_13_17": "3",
                   "female_25_59": "4"})
    return _post(common(), {
        "place_type": "school", "delivery_method": "face_to_face_group", **counts, "total_participants": "34",
        "persons_with_disabilities": "2", "first_time_attendees": "20", "posters_qty": "5", "brochures_qty": "30",
        "other_materials": "", **kw,
    })

