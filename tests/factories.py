"""Builders for test data: plain functions with sensible defaults, each keyword overridable."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from surveys.access import GROUP_NAMES
from surveys.models import (
    ClearanceReport,
    Donor,
    EoreSession,
    ExplosiveItem,
    Organisation,
    Project,
    Report,
    Role,
    Site,
    SurveyReport,
    Team,
    User,
)

_seq = itertools.count(1)
PASSWORD = "test-pass-2026"
YESTERDAY = timezone.localdate() - timedelta(days=1)


def organisation(**kw) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(**{"name": f"Organisation {n}", "code": f"org{n}", **kw})


def team(org: Organisation, **kw) -> Team:
    n = next(_seq)
    return Team.objects.create(**{"organisation": org, "name": f"Team {n}", "code": f"team{n}", **kw})


def project(org: Organisation, **kw) -> Project:
    n = next(_seq)
    donor = kw.pop("donor", None) or Donor.objects.create(name=f"Donor {n}")
    return Project.objects.create(
        **{"code": f"GRANT-{n}", "name": f"Grant {n}", "donor": donor, "organisation": org, **kw}
    )


def user(role: Role | None, org: Organisation | None = None, team_: Team | None = None, **kw) -> User:
    n = next(_seq)
    projects = kw.pop("projects", [])
    u = User.objects.create_user(
        username=kw.pop("username", f"user{n}"), password=PASSWORD, organisation=org, team=team_,
        is_staff=role in (Role.SUPERVISOR, Role.ADMINISTRATOR, Role.COLLECTOR), **kw,
    )
    if role:
        if not Group.objects.filter(name=GROUP_NAMES[role]).exists():
            roles()  # a transactional test before this one flushed the data migration's groups
        u.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    u.projects.set(projects)
    return u


def _common(by: User, kw: dict) -> dict:
    return {
        "organisation": by.organisation, "team": by.team, "captured_by": by, "activity_date": YESTERDAY,
        "place_name": "Al-Mashlab", "latitude": 35.95, "longitude": 39.01, "gps_accuracy_m": 8.0, **kw,
    }


def site(org: Organisation, **kw) -> Site:
    return Site.objects.create(**{
        "name": f"School {next(_seq)}", "organisation": org, "site_type": "school", "classification": "cha",
        "estimated_area_m2": 10_000, "latitude": 35.95, "longitude": 39.01, **kw,
    })


def survey(by: User, **kw) -> SurveyReport:
    return SurveyReport.objects.create(**_common(by, {
        "site_name": "Al-Rashid school", "site_type": "school", "classification": "sha", "evidence": "direct",
        "contamination": ["uxo"], "estimated_area_m2": 12_000, **kw,
    }))


def clearance(by: User, site_: Site, items: list[dict] | None = None, **kw) -> ClearanceReport:
    report = ClearanceReport.objects.create(**_common(by, {
        "site": site_, "method": "manual", "start_date": YESTERDAY - timedelta(days=10), "end_date": YESTERDAY,
        "cleared_area_m2": 3_000, "reduced_area_m2": 1_000, "cancelled_area_m2": 500, "depth_cm": 30, **kw,
    }))
    for item in items or []:
        ExplosiveItem.objects.create(report=report, **item)
    return report


def eore(by: User, **kw) -> EoreSession:
    counts = {"female_5_12": 10, "male_5_12": 12, "female_13_17": 5, "male_13_17": 3, "female_25_59": 4}
    counts.update({k: v for k, v in kw.items() if k.startswith(("female_", "male_"))})
    rest = {k: v for k, v in kw.items() if not k.startswith(("female_", "male_"))}
    return EoreSession.objects.create(**_common(by, {
        "place_type": "school", "delivery_method": "face_to_face_group", **counts,
        "total_participants": sum(counts.values()), **rest,
    }))


def set_status(report: Report, status: str) -> Report:
    """Put a report in a state directly, for tests of what comes after (the workflow tests go through the moves)."""
    Report.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def roles() -> None:
    """Re-create the role groups of migration 0002 (idempotent). Transactional tests flush the database when they end,
    and Django's serialized rollback does not restore it once Playwright's event loop runs in the test thread."""
    import importlib

    from django.apps import apps

    importlib.import_module("surveys.migrations.0002_roles").forward(apps, None)
    importlib.import_module("surveys.migrations.0004_i11d_device_tokens").administrators_unlock_accounts(apps, None)
