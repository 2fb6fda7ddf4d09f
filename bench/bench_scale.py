"""A national programme's year: BENCH_SCALE approved reports (default 20,000; the issue's figure is 1,000,000) with
explosive items, EORE grids, photo rows and 0.3 × BENCH_SCALE sites, then every screen the issue budgets.

    python bench/bench_scale.py                                   # SQLite, 20,000 reports
    BENCH_SCALE=1000000 DATABASE_URL=postgres://fieldapp:fieldapp@127.0.0.1:5432/fieldapp_bench \\
        python bench/bench_scale.py [--keep] [--skip-export]      # PostgreSQL, in test_<name>

Rows are written by PostgreSQL's COPY (psycopg) or, on SQLite, executemany, 50,000 reports at a time; then the
roll-ups are rebuilt in the database (surveys.rollups.rebuild) and the tables analysed. With --keep the database is
kept and a second run reuses it (the build is skipped when it holds enough reports).

Budgets (issue 12), at 1 M reports on PostgreSQL: review queue changelist < 300 ms with and without a filter or a
search; an API list page < 100 ms at any depth; indicators < 1 s for every role over all time; the CSV export ≤ 3×
the bare csv.writer floor, < 50 MB memory growth, its first rows within 1 s; a form page's first load ≤ 50 KB.
"""

import argparse
import base64
import gc
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_data  # noqa: E402

CHUNK = 50_000
RUNS = 5
PLACES = ["Al-Mashlab", "Tabqa", "Ain Issa", "Raqqa", "Mansura", "Karama", "Mosul", "Tell Abyad", *fake_data.ARABIC_PLACES]
SITE_TYPES = ["school", "health_facility", "bridge", "water_plant", "road", "residential", "agricultural", "other"]
CATEGORIES = ["ap_mine", "av_mine", "ied", "cluster_submunition", "uxo", "axo", "other"]
DISPOSALS = ["destroyed_in_situ", "moved_and_destroyed", "rendered_safe", "handed_over"]
YEAR_START = date(2025, 1, 1)


# Writing rows ----------------------------------------------------------------------------------------------------------


class Writer:
    """COPY on PostgreSQL, executemany on SQLite; values adapted the way Django stores them on each."""

    def __init__(self, connection):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def adapt(self, value):
        if isinstance(value, list | dict):
            return json.dumps(value)
        if self.pg:
            return value
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        qn = self.connection.ops.quote_name
        names = ", ".join(qn(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([self.adapt(v) for v in row])
            else:
                sql = f"INSERT INTO {qn(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                cursor.executemany(sql, [[self.adapt(v) for v in row] for row in rows])


REPORT_COLUMNS = [
    "id", "uuid", "reference", "kind", "organisation_id", "team_id", "project_id", "captured_by_id", "activity_date",
    "captured_at", "admin_area_id", "place_name", "latitude", "longitude", "gps_accuracy_m", "polygon", "notes",
    "status", "submitted_at", "photos_expected", "photos_received", "flag_area_overrun", "flag_polygon_mismatch",
    "flag_gps_poor", "flag_no_photo", "flag_duplicate", "created_at", "updated_at",
]
SURVEY_COLUMNS = ["report_ptr_id", "survey_type", "site_id", "site_name", "site_type", "priority", "classification",
                  "evidence", "contamination", "estimated_area_m2", "blockage", "expected_beneficiaries"]
CLEARANCE_COLUMNS = ["report_ptr_id", "site_id", "stage", "method", "start_date", "end_date", "cancelled_area_m2",
                     "reduced_area_m2", "cleared_area_m2", "depth_cm", "handover_date", "handed_over_to",
                     "handover_notes"]
ITEM_COLUMNS = ["report_id", "category", "quantity", "weight_kg", "disposal"]
PHOTO_COLUMNS = ["id", "report_id", "image", "thumbnail", "caption", "width", "height", "bytes", "taken_at",
                 "latitude", "longitude", "uploaded_by_id", "created_at"]
SITE_COLUMNS = ["id", "reference", "name", "organisation_id", "team_id", "admin_area_id", "place_name", "latitude",
                "longitude", "polygon", "site_type", "priority", "classification", "evidence", "contamination",
                "estimated_area_m2", "status", "cancelled_area_m2", "reduced_area_m2", "cleared_area_m2",
                "handed_over_on", "created_at", "updated_at", "approved_surveys", "approved_clearances",
                "approved_completions", "expected_beneficiaries"]  # set by rollups.rebuild() at the end


def build(n: int) -> dict:
    """The people and lookups (ORM), then sites and reports (COPY). Returns timings."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from surveys import rollups
    from surveys.access import GROUP_NAMES
    from surveys.models import (
        PARTICIPANT_FIELDS,
        AdminArea,
        Donor,
        EoreSession,
        ExplosiveItem,
        Organisation,
        Project,
        Report,
        Role,
        Site,
        Team,
        User,
    )

    rng = random.Random(12)
    writer = Writer(connection)
    started = time.perf_counter()
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create([Organisation(name=f"Operator {i}", code=f"op{i}") for i in range(5)])
        teams = Team.objects.bulk_create(
            [Team(organisation=o, name=f"Team {i}", code=f"{o.code}-t{i}") for o in orgs for i in range(10)])
        donors = Donor.objects.bulk_create([Donor(name=f"Donor {i}") for i in range(5)])
        projects = Project.objects.bulk_create([
            Project(code=f"GRANT-{i}", name=f"Grant {i}", donor=donors[i % 5], organisation=orgs[i % 5])
            for i in range(15)])
        governorates = AdminArea.objects.bulk_create([
            AdminArea(level=1, name_en=f"Governorate {i}", pcode=f"SY{i:02d}") for i in range(14)])
        districts = AdminArea.objects.bulk_create([
            AdminArea(level=2, name_en=f"District {g.pcode}-{i}", parent=g, pcode=f"{g.pcode}{i:02d}")
            for g in governorates for i in range(3)])
        subs = AdminArea.objects.bulk_create([
            AdminArea(level=3, name_en=f"Sub-district {d.pcode}-{i}", parent=d, pcode=f"{d.pcode}{i:02d}")
            for d in districts for i in range(3)])
        password = make_password("bench-pass-2026")
        collectors = User.objects.bulk_create(
            [User(username=f"collector{t.pk}", password=password, organisation=t.organisation, team=t) for t in teams])
        supervisor = User.objects.create(username="supervisor", password=password, organisation=orgs[0],
                                         is_staff=True)
        donor = User.objects.create(username="donor", password=password)
        imofficer = User.objects.create(username="imofficer", password=password, is_staff=True)
        groups = {role: Group.objects.get(name=name) for role, name in GROUP_NAMES.items()}
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=groups[Role.COLLECTOR].pk) for u in collectors]
            + [User.groups.through(user_id=supervisor.pk, group_id=groups[Role.SUPERVISOR].pk),
               User.groups.through(user_id=donor.pk, group_id=groups[Role.DONOR].pk),
               User.groups.through(user_id=imofficer.pk, group_id=groups[Role.ADMINISTRATOR].pk)])
        donor.projects.set(projects[:3])
    collector_of = {t.pk: u.pk for t, u in zip(teams, collectors, strict=True)}
    # Each team works in three sub-districts and for its organisation's grants: realistic cells for the roll-ups.
    home = {t.pk: rng.sample(subs, 3) for t in teams}
    grants = {o.pk: [p.pk for p in projects if p.organisation_id == o.pk] for o in orgs}
    now = datetime(2026, 1, 15, 12, tzinfo=UTC)

    n_sites = n * 3 // 10
    sites_by_team: dict[int, list[int]] = {t.pk: [] for t in teams}
    site_type_of: dict[int, str] = {}
    with transaction.atomic():
        rows = []
        for i in range(1, n_sites + 1):
            team = teams[i % len(teams)] if i % 7 else rng.choice(teams)
            estimated = rng.randrange(1_000, 60_000, 100)
            status = rng.choices(["open", "worked_on", "closed"], [5, 3, 2])[0]
            released = [rng.randrange(0, estimated // 3 + 1, 50) if status != "open" else 0 for _ in range(3)]
            site_type = rng.choice(SITE_TYPES)
            area = rng.choice(home[team.pk])
            rows.append((i, f"SITE-2025-{i:07d}", f"{rng.choice(PLACES)} {site_type.replace('_', ' ')} {i}",
                         team.organisation_id, team.pk, area.pk, rng.choice(PLACES),
                         round(rng.uniform(34.5, 37), 6), round(rng.uniform(37, 42), 6), None, site_type,
                         rng.choice(["high", "medium", "low"]), rng.choice(["sha", "cha", "eod_spot"]),
                         rng.choice(["direct", "indirect"]), ["uxo"], estimated, status, *released,
                         date(2025, 6, 1) if status == "closed" else None, now, now, 0, 0, 0, 0))
            sites_by_team[team.pk].append(i)
            site_type_of[i] = site_type
            if len(rows) >= CHUNK:
                writer.write(Site._meta.db_table, SITE_COLUMNS, rows)
                rows = []
        writer.write(Site._meta.db_table, SITE_COLUMNS, rows)
    sites_built = time.perf_counter()

    total = n + n // 10
    kinds = ["survey", "clearance", "eore"]
    prefixes = {"survey": "SUR", "clearance": "CLR", "eore": "EOR"}
    photo_count = 0
    for first in range(1, total + 1, CHUNK):
        reports, surveys, clearances, sessions, items, photos = [], [], [], [], [], []
        for i in range(first, min(first + CHUNK, total + 1)):
            kind = kinds[i % 3]
            team = teams[rng.randrange(len(teams))]
            status = "approved" if i % 11 else rng.choice(["submitted", "submitted", "draft", "returned"])
            day = YEAR_START + timedelta(days=rng.randrange(365))
            at = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
            n_photos = rng.choice([0, 0, 0, 1, 1, 2])
            project = rng.choice(grants[team.organisation_id]) if rng.random() < 0.9 else None
            gps = rng.choice([4.0, 8.0, 12.5, 30.0, 80.0])
            reports.append((
                i, uuid.UUID(int=rng.getrandbits(128), version=4), f"{prefixes[kind]}-2025-{i:07d}", kind,
                team.organisation_id, team.pk, project, collector_of[team.pk], day, at,
                rng.choice(home[team.pk]).pk, rng.choice(PLACES), round(rng.uniform(34.5, 37), 6),
                round(rng.uniform(37, 42), 6), gps, None, rng.choice(fake_data.NOTES), status,
                None if status == "draft" else at + timedelta(hours=rng.randrange(1, 48)), n_photos, n_photos,
                False, False, gps > 50, n_photos == 0, False, at, at,
            ))
            site_ids = sites_by_team[team.pk] or [rng.randrange(1, n_sites + 1)]
            site = rng.choice(site_ids)
            if kind == "survey":
                surveys.append((i, rng.choice(["non_technical", "technical"]), site, f"Site {site}",
                                site_type_of[site], rng.choice(["high", "medium", "low"]), "cha",
                                rng.choice(["direct", "indirect"]), rng.sample(CATEGORIES[:5], 2),
                                rng.randrange(1_000, 60_000, 100), rng.choice(["none", "housing", "roads"]),
                                rng.randrange(0, 5_000)))
            elif kind == "clearance":
                completion = rng.random() < 0.1
                clearances.append((i, site, "completion" if completion else "progress",
                                   rng.choice(["manual", "mechanical", "mdd"]), day - timedelta(days=rng.randrange(30)),
                                   day, rng.randrange(0, 2_000, 50), rng.randrange(0, 3_000, 50),
                                   rng.randrange(0, 5_000, 50), rng.choice([20, 30, 50]),
                                   day if completion else None, "المختار" if completion else "", ""))
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    items.append((i, rng.choice(CATEGORIES), rng.randrange(1, 20),
                                  Decimal(f"{rng.uniform(0.2, 80):.2f}"), rng.choice(DISPOSALS)))
            else:
                counts = [rng.choice([0, 0, 1, 3, 8, 15]) for _ in PARTICIPANT_FIELDS]
                people = sum(counts)
                sessions.append((i, rng.choice(["school", "community_centre", "camp"]),
                                 rng.choice(["face_to_face_group", "house_to_house"]), *counts, people,
                                 rng.randrange(0, people // 10 + 1), rng.randrange(0, people + 1),
                                 rng.randrange(0, 40), rng.randrange(0, 100), ""))
            for _ in range(n_photos):
                photo_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                photos.append((photo_id, i, f"photos/{i}/{photo_id}.jpg", f"photos/{i}/{photo_id}_thumb.jpg", "",
                               1600, 1200, 250_000, None, None, None, collector_of[team.pk], at))
        photo_count += len(photos)
        with transaction.atomic():
            writer.write(Report._meta.db_table, REPORT_COLUMNS, reports)
            writer.write("surveys_surveyreport", SURVEY_COLUMNS, surveys)
            writer.write("surveys_clearancereport", CLEARANCE_COLUMNS, clearances)
            writer.write(EoreSession._meta.db_table, ["report_ptr_id", "place_type", "delivery_method",
                                                      *PARTICIPANT_FIELDS, "total_participants",
                                                      "persons_with_disabilities", "first_time_attendees",
                                                      "posters_qty", "brochures_qty", "other_materials"], sessions)
            writer.write(ExplosiveItem._meta.db_table, ITEM_COLUMNS, items)
            writer.write("surveys_photo", PHOTO_COLUMNS, photos)
        print(f"  {min(first + CHUNK - 1, total):,} reports written ({time.perf_counter() - started:.0f} s)",
              flush=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Site, Report, ExplosiveItem]):
            cursor.execute(sql)
    reports_built = time.perf_counter()
    cells = rollups.rebuild()
    rolled = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if writer.pg else "ANALYZE")
    return {"sites_s": sites_built - started, "reports_s": reports_built - sites_built,
            "rollups_s": rolled - reports_built, "analyse_s": time.perf_counter() - rolled, "cells": cells,
            "photos": photo_count}


# Measuring -------------------------------------------------------------------------------------------------------------


def median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def client_for(username: str):
    from django.test import Client

    from surveys.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def get(client, url: str, status: int = 200):
    def fetch():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response
    return fetch


def cursor_at(model, depth: int) -> str:
    """The API cursor that points at the row `depth` rows down the default order (as a `next` link would carry)."""
    from surveys.api.pagination import keyset_for

    keys = keyset_for(model, None)
    names = [k.lstrip("-") for k in keys]
    row = model.objects.order_by(*keys).values_list(*names)[depth]
    payload = {"k": names, "v": [v.isoformat() if isinstance(v, date) else v for v in row], "b": 0}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def report(rows: list[tuple[str, float, float | None]]) -> list[str]:
    over = []
    for name, value, budget in rows:
        mark = "" if budget is None else ("  ok" if value <= budget else f"  OVER (budget {budget:g})")
        print(f"  {name:<62} {value:>10.1f}{mark}")
        if budget is not None and value > budget:
            over.append(name)
    return over


def main() -> int:
    parser = argparse.ArgumentParser(description="The 1 M benchmark")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (or .../fieldapp_bench)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", "20000")))
    parser.add_argument("--skip-export", action="store_true", help="leave out the full CSV export")
    args = parser.parse_args()
    db = fake_data.setup_django(postgres=args.postgres, keep=args.keep)
    try:
        return run(args)
    finally:
        from django.db import connection

        connection.close()
        db.teardown()


def run(args) -> int:
    from django.db import connection
    from django.test.utils import setup_test_environment

    from surveys import indicators
    from surveys.models import Report, Site, SurveyReport, Team, User

    setup_test_environment()
    vendor = connection.vendor
    existing = Report.objects.filter(status="approved").count() if args.keep else 0
    if existing < args.scale * 0.9:
        print(f"building {args.scale:,} approved reports on {vendor} …", flush=True)
        built = build(args.scale)
        print(f"built: sites {built['sites_s']:.0f} s, reports {built['reports_s']:.0f} s, roll-ups "
              f"{built['rollups_s']:.0f} s, analyse {built['analyse_s']:.0f} s; {built['photos']:,} photos; "
              f"roll-up cells {built['cells']}", flush=True)
    connection.close()
    from surveys.models import ExplosiveItem, Photo
    print(f"{vendor}: {Report.objects.count():,} reports ({Report.objects.filter(status='approved').count():,} "
          f"approved), {Site.objects.count():,} sites, {ExplosiveItem.objects.count():,} items, "
          f"{Photo.objects.count():,} photos. Medians of {RUNS} runs, ms. Machine shared with other work.")
    over: list[str] = []
    admin, supervisor, donor = client_for("imofficer"), client_for("supervisor"), client_for("donor")
    team = Team.objects.order_by("pk").first()
    rare_site = Site.objects.order_by("-pk").values_list("name", flat=True).first()

    print("Review queue (admin changelists)")
    queue = "/en/admin/surveys/report/"
    rows = []
    for who, client in (("administrator", admin), ("supervisor", supervisor)):
        rows += [
            (f"{who}: queue", median_ms(get(client, queue)), 300),
            (f"{who}: queue, submitted", median_ms(get(client, queue + "?status__exact=submitted")), 300),
            (f"{who}: queue, flag poor GPS", median_ms(get(client, queue + "?flag=gps_poor")), 300),
            (f"{who}: queue, team filter", median_ms(get(client, queue + f"?team__id__exact={team.pk}")), 300),
            (f"{who}: queue, search reference prefix", median_ms(get(client, queue + "?q=CLR-2025-00012")), 300),
            (f"{who}: queue, search a site's name", median_ms(get(client, queue + f"?q={rare_site}")), 300),
            (f"{who}: queue, search a place (many rows)", median_ms(get(client, queue + "?q=Tabqa")), 300),
            (f"{who}: clearance changelist", median_ms(get(client, "/en/admin/surveys/clearancereport/")), 300),
            (f"{who}: queue, a place in one team's reports", median_ms(get(client, queue + f"?q=Tabqa&team__id__exact="
                                                                                 f"{team.pk}")), 300),
            (f"{who}: clearance changelist, search a place",
             median_ms(get(client, "/en/admin/surveys/clearancereport/?q=Tabqa")), 300),
        ]
    over += report(rows)

    print("API list pages (limit 50)")
    depth = Report.objects.count() // 2
    deep = cursor_at(Report, depth)
    deep_surveys = cursor_at(SurveyReport, SurveyReport.objects.count() // 2)
    collector = client_for(User.objects.filter(team=team).values_list("username", flat=True).first())
    over += report([
        ("administrator: /reports/ first page", median_ms(get(admin, "/api/v1/reports/?limit=50")), 100),
        (f"administrator: /reports/ at depth {depth:,}", median_ms(get(admin, f"/api/v1/reports/?limit=50&cursor="
                                                                              f"{deep}")), 100),
        ("administrator: /surveys/ at half depth", median_ms(get(admin, f"/api/v1/surveys/?limit=50&cursor="
                                                                         f"{deep_surveys}")), 100),
        ("administrator: /reports/?order=updated (sync)", median_ms(get(admin, "/api/v1/reports/?order=updated"
                                                                               "&limit=50")), 100),
        ("collector: /sites/ (team's)", median_ms(get(collector, f"/api/v1/sites/?team={team.pk}&limit=50")), 100),
        ("collector: /sites/choices/ (the phone's copy, 500)", median_ms(get(collector, "/api/v1/sites/choices/")),
         None),
        ("collector: /sites/choices/ids/", median_ms(get(collector, "/api/v1/sites/choices/ids/")), None),
        ("supervisor: /reports/?status=submitted", median_ms(get(supervisor, "/api/v1/reports/?status=submitted"
                                                                              "&limit=50")), 100),
    ])

    print("Indicators, all time (compute, and the page)")
    users = {name: User.objects.get(username=name) for name in ("imofficer", "supervisor", "donor")}
    rows = []
    for name, user in users.items():
        user = User.objects.get(pk=user.pk)
        rows.append((f"{name}: indicators.compute", median_ms(lambda u=user: indicators.compute(u, indicators.Filters())),
                     1000))
    rows += [
        ("administrator: indicators page", median_ms(get(admin, "/en/figures/")), 1000),
        ("donor: indicators page", median_ms(get(donor, "/en/figures/")), 1000),
        ("administrator: indicators page, Q2 2025, a governorate",
         median_ms(get(admin, "/en/figures/?date_from=2025-04-01&date_to=2025-06-30&governorate="
                              f"{Site.objects.values_list('admin_area__parent__parent_id', flat=True).first()}")),
         1000),
    ]
    over += report(rows)

    print("Form page (first load, HTML)")
    biggest = max(Team.objects.all(), key=lambda t: Site.objects.filter(team=t).count())
    worker = client_for(User.objects.filter(team=biggest).values_list("username", flat=True).first())
    page = worker.get("/en/reports/new/survey/")
    n_sites = Site.objects.filter(team=biggest).count()
    over += report([(f"survey form KB, team with {n_sites:,} sites", len(page.content) / 1024, 50),
                    ("survey form ms", median_ms(get(worker, "/en/reports/new/survey/")), None),
                    ("site search ms", median_ms(get(worker, "/en/sites/search/?q=school")), None)])

    if not args.skip_export:
        over += export_figures()
    print("all within budget" if not over else f"OVER BUDGET: {'; '.join(over)}")
    return 0


def export_figures() -> list[str]:
    """The administrator's export of every approved report (shared columns): time to the first rows, total, against
    the floor, and peak memory growth."""
    import bench_exports

    client = client_for("imofficer")
    print("CSV export of every approved report (administrator, shared columns)")
    client.get("/en/figures/exports/reports.csv?date_from=2099-01-01")  # warm-up
    gc.collect()
    rss_before = bench_exports._rss_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    started = time.perf_counter()
    response = client.get("/en/figures/exports/reports.csv")
    chunks = iter(response.streaming_content)
    size = len(next(chunks)) + len(next(chunks))  # the header, then the first rows
    first_rows = time.perf_counter() - started
    last = b""
    for chunk in chunks:
        size += len(chunk)
        last = chunk or last
    total = time.perf_counter() - started
    growth = (bench_exports._rss_kb("VmHWM") - rss_before) / 1024
    rows, floor = bench_exports._floor("imofficer", "reports", {})
    print(f"  {rows:,} rows, {size / 2**20:.0f} MB; ends with {last.decode().strip().splitlines()[-1]!r}")
    return report([
        ("first rows, s", first_rows, 1.0),
        ("whole export, s", total, None),
        ("bare csv.writer floor, s", floor, None),
        ("export / floor", total / floor, 3.0),
        ("peak memory growth, MB", growth, 50),
    ])


if __name__ == "__main__":
    sys.exit(main())
