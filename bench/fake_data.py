"""A throwaway database full of made-up reports, for the benchmarks (the demo data is `manage.py seed_demo`).

SQLite by default, in a temporary directory. With postgres=True: PostgreSQL at DATABASE_URL (default
postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_bench), in a database Django's test machinery creates next to
it ("test_<name>", or BENCH_DB_NAME when set) and drops afterwards, so nothing in the named database is touched.
Benchmarks that start a server listen on the first free port of BENCH_PORTS (default 8201-8209).

Rows are bulk inserted: Report rows with bulk_create, then the rows of the child tables (multi-table inheritance) by
a raw executemany of their prepared values, so 100,000 reports take seconds, not hours.
"""

import os
import random
import shutil
import socket
import sys
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_bench"
ARABIC_PLACES = ["المشلب", "الطبقة", "عين عيسى", "الرقة", "المنصورة", "الكرامة", "الموصل", "تل أبيض"]
NOTES = ["", "", "", "Cleared to 30 cm; no further evidence.", "=SUM(A1:A3)", "لا توجد ملاحظات"]


def wants_postgres(flag: bool = False) -> bool:
    """--postgres, or a PostgreSQL DATABASE_URL in the environment (`DATABASE_URL=postgres://… make bench`)."""
    return flag or os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def throwaway_name(url: str) -> str:
    """The throwaway PostgreSQL database's name: BENCH_DB_NAME, or Django's test_<name of DATABASE_URL's database>."""
    return os.environ.get("BENCH_DB_NAME") or "test_" + urlsplit(url).path.lstrip("/")


def free_port() -> int:
    """The first port of BENCH_PORTS ("8201-8209") that nothing listens on: a server started by a benchmark."""
    first, _, last = os.environ.get("BENCH_PORTS", "8201-8209").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: TIME_WAIT is no obstacle
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in BENCH_PORTS={first}-{last or first}")


def setup_django(postgres: bool = False, keep: bool = False, child_env: dict | None = None) -> SimpleNamespace:
    """Configure and start Django on a throwaway database; returns what a child process needs to reach it."""
    postgres = wants_postgres(postgres)
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789-abcdefghijkl")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"  # the project's, with static files served from source
    if child_env:
        os.environ.update(child_env)
    else:
        os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="fieldapp-bench-")  # SQLite file, no static or media files
        Path(os.environ["VAR_DIR"], "staticfiles").mkdir()
        if postgres:
            os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
        else:
            os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if child_env:
        return SimpleNamespace(env=child_env, teardown=lambda: None)
    var_dir = os.environ["VAR_DIR"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = throwaway_name(os.environ["DATABASE_URL"])
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=keep)
        url = urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + name).geturl()

        def teardown() -> None:
            if not keep:
                connection.creation.destroy_test_db(name, verbosity=0)
            shutil.rmtree(var_dir, ignore_errors=True)

        return SimpleNamespace(env={"DATABASE_URL": url, "VAR_DIR": var_dir}, teardown=teardown)
    call_command("migrate", verbosity=0)
    return SimpleNamespace(env={"VAR_DIR": var_dir}, teardown=lambda: shutil.rmtree(var_dir, ignore_errors=True))


def _insert_rows(model, objs) -> None:
    """INSERT the local fields of child-table rows (multi-table inheritance: bulk_create refuses child models)."""
    from django.db import connection

    fields = model._meta.local_concrete_fields
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def seed(n_reports: int = 100_000, seed_: int = 1) -> SimpleNamespace:
    """Made-up organisations, grants, areas, users, sites and reports: `n_reports` approved ones (⅓ of each type) and
    a tenth as many again in draft, submitted or returned, which figures and exports leave out."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from surveys.access import GROUP_NAMES
    from surveys.models import (
        PARTICIPANT_FIELDS,
        AdminArea,
        ClearanceReport,
        Donor,
        EoreSession,
        ExplosiveItem,
        Organisation,
        Photo,
        Project,
        Report,
        Role,
        Site,
        SurveyReport,
        Team,
        User,
    )

    if Report.objects.filter(status=Report.Status.APPROVED).count() >= n_reports:  # kept from an earlier run (--keep)
        return _people()
    rng = random.Random(seed_)
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=f"Operator {i}", code=f"op{i}") for i in range(5)])
        teams = Team.objects.bulk_create(
            [Team(organisation=org, name=f"Team {i}", code=f"{org.code}-t{i}") for org in orgs for i in range(4)])
        donors = Donor.objects.bulk_create([Donor(name=f"Donor {i}") for i in range(5)])
        projects = Project.objects.bulk_create([
            Project(code=f"GRANT-{i}", name=f"Grant {i}", donor=donors[i % 5], organisation=orgs[i % 5])
            for i in range(15)])
        governorates = AdminArea.objects.bulk_create([
            AdminArea(level=1, name_en=f"Governorate {i}", name_ar=f"محافظة {i}", pcode=f"SY{i:02d}")
            for i in range(14)])
        districts = AdminArea.objects.bulk_create([
            AdminArea(level=2, name_en=f"District {g.pk}-{i}", name_ar=f"منطقة {i}", parent=g, pcode=f"{g.pcode}{i:02d}")
            for g in governorates for i in range(3)])
        subs = AdminArea.objects.bulk_create([
            AdminArea(level=3, name_en=f"Sub-district {d.pk}-{i}", name_ar=f"ناحية {i}", parent=d,
                      pcode=f"{d.pcode}{i:02d}") for d in districts for i in range(3)])
        areas = governorates + districts + subs * 4  # most reports name a sub-district

        password = make_password("bench-pass-2026")
        users = User.objects.bulk_create(
            [User(username=f"collector{t.pk}", password=password, organisation=t.organisation, team=t) for t in teams]
            + [User(username="supervisor", password=password, organisation=orgs[0], is_staff=True),
               User(username="donor", password=password),
               User(username="imofficer", password=password, is_staff=True)])
        collectors = {t.pk: u for t, u in zip(teams, users, strict=False)}
        groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
        membership = [User.groups.through(user_id=u.pk, group_id=groups[Role.COLLECTOR].pk) for u in users[:-3]]
        membership += [User.groups.through(user_id=users[-3].pk, group_id=groups[Role.SUPERVISOR].pk),
                       User.groups.through(user_id=users[-2].pk, group_id=groups[Role.DONOR].pk),
                       User.groups.through(user_id=users[-1].pk, group_id=groups[Role.ADMINISTRATOR].pk)]
        User.groups.through.objects.bulk_create(membership)
        users[-2].projects.set(projects[:3])  # the donor funds three grants (of operators 0, 1 and 2)

        sites_by_org: dict[int, list[Site]] = {org.pk: [] for org in orgs}
        sites = []
        for i in range(n_reports * 3 // 10):
            team = rng.choice(teams)
            estimated = rng.randrange(1_000, 60_000, 100)
            cancelled, reduced, cleared = (rng.randrange(0, estimated // 3 + 1, 50) for _ in range(3))
            status = rng.choices(["open", "worked_on", "closed"], [5, 3, 2])[0]
            sites.append(Site(
                reference=f"SITE-2025-{i:06d}", name=f"Site {i}", organisation_id=team.organisation_id, team=team,
                admin_area=rng.choice(areas), place_name=rng.choice(ARABIC_PLACES),
                latitude=round(rng.uniform(34.5, 37), 6), longitude=round(rng.uniform(37, 42), 6),
                site_type=rng.choice(["school", "health_facility", "bridge", "water_plant", "road", "residential",
                                      "agricultural", "other"]),
                classification=rng.choice(["sha", "cha", "eod_spot"]), estimated_area_m2=estimated,
                status=status, cancelled_area_m2=cancelled if status != "open" else 0,
                reduced_area_m2=reduced if status != "open" else 0, cleared_area_m2=cleared if status != "open" else 0,
            ))
        for site in Site.objects.bulk_create(sites, batch_size=2000):
            sites_by_org[site.organisation_id].append(site)

        kinds = ["survey", "clearance", "eore"]
        prefixes = {"survey": "SUR", "clearance": "CLR", "eore": "EOR"}
        start = date(2023, 1, 1)
        reports = []
        statuses = ["approved"] * n_reports + ["submitted", "draft", "returned", "submitted"] * (n_reports // 40)
        rng.shuffle(statuses)
        for i, status in enumerate(statuses):
            kind = kinds[i % 3]
            team = rng.choice(teams)
            org_projects = [p for p in projects if p.organisation_id == team.organisation_id]
            day = start + timedelta(days=rng.randrange(1_000))
            reports.append(Report(
                uuid=uuid.UUID(int=rng.getrandbits(128), version=4), reference=f"{prefixes[kind]}-2025-{i:06d}",
                kind=kind, organisation_id=team.organisation_id, team=team, captured_by=collectors[team.pk],
                project=rng.choice(org_projects) if rng.random() < 0.9 else None, activity_date=day,
                captured_at=datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC),
                admin_area=rng.choice(areas), place_name=rng.choice(ARABIC_PLACES),
                latitude=round(rng.uniform(34.5, 37), 6), longitude=round(rng.uniform(37, 42), 6),
                gps_accuracy_m=rng.choice([4.0, 8.0, 12.5, 30.0]), notes=rng.choice(NOTES), status=status,
                submitted_at=None if status == "draft" else datetime(day.year, day.month, day.day, 18, tzinfo=UTC),
            ))
        reports = Report.objects.bulk_create(reports, batch_size=2000)

        surveys, clearances, sessions, items, photos = [], [], [], [], []
        for report in reports:
            site = rng.choice(sites_by_org[report.organisation_id])
            if report.kind == "survey":
                surveys.append(SurveyReport(
                    report_ptr_id=report.pk, survey_type=rng.choice(["non_technical", "technical"]), site=site,
                    site_name=site.name, site_type=site.site_type, priority=rng.choice(["high", "medium", "low"]),
                    classification=site.classification, evidence=rng.choice(["direct", "indirect"]),
                    contamination=rng.sample(["uxo", "ied", "ap_mine", "av_mine"], rng.randrange(1, 3)),
                    estimated_area_m2=site.estimated_area_m2, blockage=rng.choice(["none", "housing", "roads"]),
                    expected_beneficiaries=rng.randrange(0, 5_000)))
            elif report.kind == "clearance":
                completion = rng.random() < 0.15
                clearances.append(ClearanceReport(
                    report_ptr_id=report.pk, site=site, stage="completion" if completion else "progress",
                    method=rng.choice(["manual", "mechanical", "mdd"]),
                    start_date=report.activity_date - timedelta(days=rng.randrange(0, 30)),
                    end_date=report.activity_date, cancelled_area_m2=rng.randrange(0, 2_000, 50),
                    reduced_area_m2=rng.randrange(0, 3_000, 50), cleared_area_m2=rng.randrange(0, 5_000, 50),
                    depth_cm=rng.choice([20, 30, 50]), handover_date=report.activity_date if completion else None,
                    handed_over_to="المختار" if completion else ""))
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    items.append(ExplosiveItem(
                        report_id=report.pk, category=rng.choice(["ap_mine", "av_mine", "ied", "cluster_submunition",
                                                                  "uxo", "axo", "other"]),
                        quantity=rng.randrange(1, 20), weight_kg=Decimal(f"{rng.uniform(0.2, 80):.2f}"),
                        disposal=rng.choice(["destroyed_in_situ", "moved_and_destroyed", "rendered_safe",
                                             "handed_over"])))
            else:
                counts = {name: rng.choice([0, 0, 1, 3, 8, 15]) for name in PARTICIPANT_FIELDS}
                total = sum(counts.values())
                sessions.append(EoreSession(
                    report_ptr_id=report.pk, place_type=rng.choice(["school", "community_centre", "camp"]),
                    delivery_method=rng.choice(["face_to_face_group", "house_to_house"]), **counts,
                    total_participants=total, persons_with_disabilities=rng.randrange(0, total // 10 + 1),
                    first_time_attendees=rng.randrange(0, total + 1), posters_qty=rng.randrange(0, 40)))
            if rng.random() < 0.1:
                photo_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                photos.append(Photo(id=photo_id, report_id=report.pk, image=f"photos/{report.pk}/{photo_id}.jpg",
                                    thumbnail=f"photos/{report.pk}/{photo_id}_thumb.jpg", width=1600, height=1200,
                                    uploaded_by_id=report.captured_by_id))
        _insert_rows(SurveyReport, surveys)
        _insert_rows(ClearanceReport, clearances)
        _insert_rows(EoreSession, sessions)
        ExplosiveItem.objects.bulk_create(items, batch_size=5000)
        Photo.objects.bulk_create(photos, batch_size=5000)
        finish()
    return _people()


def finish() -> None:
    """What the workflow and Photo.save keep up to date, for rows bulk inserted: the photo counters and the roll-ups
    of the approved figures; then statistics, as a live database would have them."""
    from django.db import connection

    from surveys import rollups

    with connection.cursor() as cursor:
        cursor.execute("UPDATE surveys_report SET photos_received = (SELECT COUNT(*) FROM surveys_photo p "
                       "WHERE p.report_id = surveys_report.id) WHERE id IN (SELECT report_id FROM surveys_photo)")
    rollups.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _people() -> SimpleNamespace:
    from surveys.models import User

    return SimpleNamespace(**{name: User.objects.get(username=name) for name in ("imofficer", "supervisor", "donor")})
