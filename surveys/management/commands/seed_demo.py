"""Demo data: organisations working in Raqqa, Tabqa and Mosul, ~60 sites, reports in every review state, photos.

Idempotent: every record has a fixed natural key (codes, usernames, report UUIDs derived from a name), so a second
run finds what the first made and changes nothing. Reports move through surveys.workflow like real ones, so their
review history and the sites' land-release figures are what the app itself would produce.
"""

import io
import random
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from surveys import flags, photos, workflow
from surveys.access import GROUP_NAMES
from surveys.models import (
    AdminArea,
    ClearanceReport,
    Donor,
    EoreSession,
    ExplosiveItem,
    Organisation,
    Project,
    Report,
    Role,
    SurveyReport,
    Team,
    User,
)

NAMESPACE = uuid.UUID("6f1c2a1e-3b7d-4a55-9a0e-2f8d1c9b7e10")
S = Report.Status

# (P-code or None where not known, level, English, Arabic, parent P-code or English name)
AREAS = [
    ("SY11", 1, "Ar-Raqqa", "الرقة", None),
    ("SY1100", 2, "Ar-Raqqa", "الرقة", "SY11"),
    ("SY1101", 2, "Ath-Thawrah", "الثورة", "SY11"),
    ("SY110000", 3, "Ar-Raqqa", "مركز الرقة", "SY1100"),
    ("SY110100", 3, "Ath-Thawrah (Tabqa)", "الثورة (الطبقة)", "SY1101"),
    ("IQG15", 1, "Ninewa", "نينوى", None),
    ("IQD083", 2, "Mosul", "الموصل", "IQG15"),
    (None, 3, "Markaz al-Mosul", "مركز الموصل", "IQD083"),
]

ORGS = [
    ("euphrates", "Euphrates Mine Action", [("raqqa-1", "Raqqa Team 1"), ("tabqa-1", "Tabqa Team 1")]),
    ("nineveh", "Nineveh Clearance Group", [("mosul-1", "Mosul Team 1"), ("mosul-eore", "Mosul EORE Team")]),
]
DONORS = ["Humanitarian Demining Fund", "Safe Return Trust"]
PROJECTS = [
    ("HDF-SY-2026", "Raqqa and Tabqa priority sites", "Humanitarian Demining Fund", "euphrates"),
    ("SRT-SY-2026", "Risk education in Raqqa governorate", "Safe Return Trust", "euphrates"),
    ("HDF-IQ-2026", "Mosul old city clearance", "Humanitarian Demining Fund", "nineveh"),
]
# (username, role, organisation code, team code, project codes)
USERS = [
    ("collector", Role.COLLECTOR, "euphrates", "raqqa-1", []),
    ("supervisor", Role.SUPERVISOR, "euphrates", None, []),
    ("donor", Role.DONOR, None, None, ["HDF-SY-2026"]),
    ("imofficer", Role.ADMINISTRATOR, None, None, []),
    ("collector_tabqa", Role.COLLECTOR, "euphrates", "tabqa-1", []),
    ("collector_mosul", Role.COLLECTOR, "nineveh", "mosul-1", []),
    ("eore_mosul", Role.COLLECTOR, "nineveh", "mosul-eore", []),
    ("supervisor_mosul", Role.SUPERVISOR, "nineveh", None, []),
]
# Where each team works: (sub-district P-code or name, centre lat, lon, neighbourhoods)
TEAM_PLACES = {
    "raqqa-1": ("SY110000", 35.951, 39.009, ["Al-Mashlab", "Al-Rumaila", "Al-Firdous", "الدرعية", "حي الثكنة",
                                              "Al-Naeem roundabout", "Hisham bin Abdul Malik"]),
    "tabqa-1": ("SY110100", 35.836, 38.548, ["Al-Safsafa", "Tabqa first neighbourhood", "حي الوحدة", "Dam road"]),
    "mosul-1": ("Markaz al-Mosul", 36.340, 43.130, ["Old City", "Al-Zanjili", "Bab Sinjar", "الميدان", "Al-Shifa"]),
    "mosul-eore": ("Markaz al-Mosul", 36.355, 43.150, ["Al-Faisaliya", "حي الزهراء", "Al-Maidan camp"]),
}
SITE_NAMES = {
    "school": ["{p} primary school", "{p} secondary school", "مدرسة {p}"],
    "health_facility": ["{p} health centre", "مستوصف {p}"],
    "bridge": ["{p} bridge"],
    "water_plant": ["{p} water station", "محطة مياه {p}"],
    "road": ["{p} main road"],
    "residential": ["{p} housing block"],
    "agricultural": ["{p} farmland"],
    "other": ["{p} market"],
}


def stable_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def square(lat: float, lon: float, area_m2: int, rng: random.Random) -> dict:
    """A GeoJSON square around the point, roughly of the given area (sometimes off, to show the flag)."""
    side = (area_m2 * rng.choice([1, 1, 1, 1.3])) ** 0.5
    dlat = side / 2 / 111_320
    dlon = side / 2 / (111_320 * 0.81)
    ring = [[lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat], [lon - dlon, lat + dlat]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def demo_jpeg(text: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 720), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 920, 680), outline=(255, 255, 255), width=8)
    draw.text((80, 340), text, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"{text}.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Load demo organisations, users, sites and reports (idempotent). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo-pass-2026", help="Password of the demo users.")
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo makes demo users with a known password: it refuses to run with DEBUG off. "
                               "Use --force if you really mean it.")
        self.today = timezone.localdate()
        self.rng = random.Random(2026)
        with transaction.atomic():
            self.areas = self.seed_areas()
            self.orgs, self.teams, self.projects = self.seed_organisations()
            self.users = self.seed_users(password)
            created = self.seed_reports()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {Report.objects.count()} reports ({created} new), "
            f"{User.objects.count()} users."
        ))
        self.stdout.write(f"Demo logins (password: {password}):")
        for username, role, *_rest in USERS[:4]:
            self.stdout.write(f"  {username:<12} {role.label}")

    # Lookups and people ------------------------------------------------------------------------------------------------

    def seed_areas(self) -> dict[str, AdminArea]:
        areas: dict[str, AdminArea] = {}
        for pcode, level, name_en, name_ar, parent in AREAS:
            key = pcode or name_en
            lookup = {"pcode": pcode} if pcode else {"pcode": None, "name_en": name_en, "level": level}
            area, _ = AdminArea.objects.update_or_create(
                **lookup, defaults={"level": level, "name_en": name_en, "name_ar": name_ar,
                                    "parent": areas.get(parent) if parent else None},
            )
            areas[key] = area
        return areas

    def seed_organisations(self):
        orgs, teams = {}, {}
        for code, name, team_list in ORGS:
            orgs[code], _ = Organisation.objects.update_or_create(code=code, defaults={"name": name})
            for team_code, team_name in team_list:
                teams[team_code], _ = Team.objects.update_or_create(
                    code=team_code, defaults={"name": team_name, "organisation": orgs[code]})
        donors = {name: Donor.objects.get_or_create(name=name)[0] for name in DONORS}
        projects = {}
        for code, name, donor, org in PROJECTS:
            projects[code], _ = Project.objects.update_or_create(code=code, defaults={
                "name": name, "donor": donors[donor], "organisation": orgs[org],
                "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31)})
        return orgs, teams, projects

    def seed_users(self, password: str) -> dict[str, User]:
        users = {}
        for username, role, org, team, projects in USERS:
            user, _ = User.objects.update_or_create(username=username, defaults={
                "organisation": self.orgs.get(org), "team": self.teams.get(team),
                "is_staff": role != Role.DONOR, "first_name": username.split("_")[0].title(),
            })
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
            user.projects.set([self.projects[p] for p in projects])
            users[username] = user
        return users

    # Reports -----------------------------------------------------------------------------------------------------------

    def common(self, key: str, team_code: str, by: str, days_ago: int, project: str | None) -> dict:
        area_key, lat, lon, places = TEAM_PLACES[team_code]
        rng = self.rng
        return {
            "uuid": stable_uuid(key), "organisation": self.teams[team_code].organisation, "team": self.teams[team_code],
            "project": self.projects[project] if project else None, "captured_by": self.users[by],
            "activity_date": self.today - timedelta(days=days_ago),
            "captured_at": timezone.now() - timedelta(days=days_ago, hours=rng.randint(1, 8)),
            "admin_area": self.areas[area_key], "place_name": rng.choice(places),
            "latitude": round(lat + rng.uniform(-0.02, 0.02), 6), "longitude": round(lon + rng.uniform(-0.02, 0.02), 6),
            "gps_accuracy_m": rng.choice([4, 6, 8, 12, 15, 25, 70]),
        }

    def move(self, report: Report, target: str, supervisor: str) -> None:
        """Take a new report from draft to `target` through the workflow, as its team and supervisor would."""
        by, sup = report.captured_by, self.users[supervisor]
        if target == S.DRAFT:
            return
        workflow.submit(report, by)
        if target == S.RETURNED:
            workflow.return_for_correction(report, sup, "The GPS point is outside the site; please check it.")
        elif target == S.APPROVED:
            workflow.approve(report, sup)

    def seed_reports(self) -> int:
        if Report.objects.filter(uuid=stable_uuid("survey-0")).exists():
            return 0  # seeded before: every report below has a fixed UUID, so there is nothing new to make
        rng = self.rng
        team_plan = [("raqqa-1", "collector", "supervisor", "HDF-SY-2026", 30),
                     ("tabqa-1", "collector_tabqa", "supervisor", "HDF-SY-2026", 22),
                     ("mosul-1", "collector_mosul", "supervisor_mosul", "HDF-IQ-2026", 20)]
        site_types = ["school"] * 5 + ["health_facility"] * 2 + ["bridge", "water_plant", "water_plant", "road",
                                                                  "residential", "residential", "agricultural", "other"]
        n = 0
        for team_code, by, sup, project, count in team_plan:
            for i in range(count):
                site_type = rng.choice(site_types)
                common = self.common(f"survey-{n}", team_code, by, rng.randint(40, 320), project)
                area = rng.choice([2_500, 6_000, 12_000, 25_000, 40_000, 80_000])
                status = S.APPROVED if i < count - 4 else [S.DRAFT, S.SUBMITTED, S.SUBMITTED, S.RETURNED][i % 4]
                survey = SurveyReport.objects.create(
                    **common, survey_type=rng.choice(["non_technical", "technical"]),
                    site_name=rng.choice(SITE_NAMES[site_type]).format(p=common["place_name"]),
                    site_type=site_type, priority=rng.choice(["high", "high", "medium", "low"]),
                    classification=rng.choice(["sha", "cha", "cha", "eod_spot"]),
                    evidence=rng.choice(["direct", "indirect"]),
                    contamination=rng.sample(["uxo", "ied", "ap_mine", "axo", "cluster_submunition"], 2),
                    estimated_area_m2=area, blockage=rng.choice(["services", "housing", "agriculture", "roads"]),
                    expected_beneficiaries=rng.randint(50, 3_000),
                    polygon=square(common["latitude"], common["longitude"], area, rng),
                    notes="Reported by the mukhtar; children seen playing near the site." if i % 5 == 0 else "",
                )
                if i % 6 == 0:
                    photos.add_photo(survey, demo_jpeg(survey.site_name, (120, 90, 60)), survey.captured_by,
                                     photo_id=stable_uuid(f"photo-survey-{n}"), caption="Site entrance")
                flags.refresh_flags(survey)
                self.move(survey, status, sup)
                survey.refresh_from_db()
                if survey.site_id and i % 3 != 2:
                    self.seed_clearance(survey, n, team_code, by, sup, project)
                n += 1
        self.seed_eore()
        return Report.objects.count()

    def seed_clearance(self, survey: SurveyReport, n: int, team_code: str, by: str, sup: str, project: str) -> None:
        rng = self.rng
        site = survey.site
        end_days = (self.today - survey.activity_date).days - 10
        if end_days < 2:
            return
        plan = [("progress", S.APPROVED)]
        roll = n % 5
        plan.append([("completion", S.APPROVED), ("completion", S.APPROVED), ("progress", S.SUBMITTED),
                     ("completion", S.RETURNED), ("progress", S.DRAFT)][roll])
        remaining = site.estimated_area_m2
        for k, (stage, status) in enumerate(plan):
            end = self.today - timedelta(days=max(end_days - 25 * k - rng.randint(0, 10), 1))
            start = end - timedelta(days=rng.randint(3, 20))
            share = remaining if stage == "completion" else remaining // 2
            cancelled = share // 5
            reduced = share // 4
            cleared = share - cancelled - reduced
            remaining -= share
            common = self.common(f"clearance-{n}-{k}", team_code, by, (self.today - end).days, project)
            report = ClearanceReport.objects.create(
                **{**common, "place_name": site.place_name or common["place_name"]},
                site=site, stage=stage, method=rng.choice(["manual", "manual", "mechanical", "mdd"]),
                start_date=start, end_date=end, cancelled_area_m2=cancelled, reduced_area_m2=reduced,
                cleared_area_m2=cleared, depth_cm=rng.choice([13, 20, 30, 50]),
                handover_date=end if stage == "completion" else None,
                handed_over_to="Mukhtar of the neighbourhood and the local council" if stage == "completion" else "",
            )
            for _line in range(rng.randint(0, 3)):
                category = rng.choice(["uxo", "uxo", "ied", "ap_mine", "av_mine", "axo", "cluster_submunition"])
                quantity = rng.randint(1, 40)
                unit_kg = {"uxo": 4.5, "ied": 12, "ap_mine": 0.2, "av_mine": 7, "axo": 9, "cluster_submunition": 0.4}
                ExplosiveItem.objects.create(
                    report=report, category=category, quantity=quantity,
                    weight_kg=round(quantity * unit_kg[category], 2),
                    disposal=rng.choice(["destroyed_in_situ", "destroyed_in_situ", "moved_and_destroyed",
                                         "rendered_safe"]),
                )
            if n % 4 == 0:
                photos.add_photo(report, demo_jpeg(f"{site.name} after clearance", (60, 110, 70)),
                                 report.captured_by, photo_id=stable_uuid(f"photo-clearance-{n}-{k}"),
                                 caption="After clearance")
            flags.refresh_flags(report)
            self.move(report, status, sup)

    def seed_eore(self) -> None:
        rng = self.rng
        plan = [("raqqa-1", "collector", "supervisor", "SRT-SY-2026", 14),
                ("mosul-eore", "eore_mosul", "supervisor_mosul", "HDF-IQ-2026", 14)]
        statuses = [S.APPROVED] * 9 + [S.SUBMITTED, S.SUBMITTED, S.RETURNED, S.DRAFT, S.APPROVED]
        for team_code, by, sup, project, count in plan:
            for i in range(count):
                counts = {
                    "female_0_4": rng.randint(0, 3), "male_0_4": rng.randint(0, 3),
                    "female_5_12": rng.randint(5, 30), "male_5_12": rng.randint(5, 30),
                    "female_13_17": rng.randint(3, 20), "male_13_17": rng.randint(3, 20),
                    "female_18_24": rng.randint(0, 12), "male_18_24": rng.randint(0, 12),
                    "female_25_59": rng.randint(0, 10), "male_25_59": rng.randint(0, 8),
                    "female_60_plus": rng.randint(0, 2), "male_60_plus": rng.randint(0, 2),
                }
                total = sum(counts.values())
                session = EoreSession.objects.create(
                    **self.common(f"eore-{team_code}-{i}", team_code, by, rng.randint(3, 200), project),
                    place_type=rng.choice(["school", "school", "community_centre", "camp", "household"]),
                    delivery_method=rng.choice(["face_to_face_group", "face_to_face_group", "house_to_house"]),
                    **counts, total_participants=total, persons_with_disabilities=rng.randint(0, 3),
                    first_time_attendees=rng.randint(total // 2, total), posters_qty=rng.randint(0, 20),
                    brochures_qty=rng.randint(0, total),
                )
                flags.refresh_flags(session)
                self.move(session, statuses[i], sup)
