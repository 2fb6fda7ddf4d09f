"""Onboarding an operation from spreadsheets: whole files or nothing, row errors, COD-shaped admin areas, welcome
sheets with password-set links."""

import csv
import io
import re

import pytest

from surveys import access, onboarding
from surveys.models import AdminArea, Organisation, Role, Team, User
from tests import factories as f

# A COD-AB admin-3 table as OCHA publishes it (Syria: governorate, district, sub-district), with an ADM0 column the
# app does not store and the Arabic names.
COD_ADM3 = """ADM3_EN,ADM3_AR,ADM3_PCODE,ADM2_EN,ADM2_AR,ADM2_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM0_EN,ADM0_PCODE
Ar-Raqqa,الرقة,SY110000,Ar-Raqqa,الرقة,SY1100,Ar-Raqqa,الرقة,SY11,Syrian Arab Republic,SY
Al-Karama,الكرامة,SY110001,Ar-Raqqa,الرقة,SY1100,Ar-Raqqa,الرقة,SY11,Syrian Arab Republic,SY
Ath-Thawrah,الثورة,SY110200,Ath-Thawrah,الثورة,SY1102,Ar-Raqqa,الرقة,SY11,Syrian Arab Republic,SY
Jurneyyeh,الجرنية,SY110201,Ath-Thawrah,الثورة,SY1102,Ar-Raqqa,الرقة,SY11,Syrian Arab Republic,SY
Kisreh,الكسرة,SY090002,Deir-ez-Zor,دير الزور,SY0900,Deir-ez-Zor,دير الزور,SY09,Syrian Arab Republic,SY
"""


def as_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_it_imports_a_cod_table_with_arabic_names_into_three_levels(db):
    result = onboarding.import_file("admin_areas", COD_ADM3.encode("utf-8-sig"), "csv", dry_run=False)

    assert not onboarding.row_errors(result)
    assert AdminArea.objects.filter(level=1).count() == 2
    assert AdminArea.objects.filter(level=2).count() == 3
    assert AdminArea.objects.filter(level=3).count() == 5
    jurneyyeh = AdminArea.objects.get(pcode="SY110201")
    assert (jurneyyeh.name_en, jurneyyeh.name_ar, jurneyyeh.level) == ("Jurneyyeh", "الجرنية", 3)
    assert jurneyyeh.parent.pcode == "SY1102" and jurneyyeh.parent.parent.name_ar == "الرقة"


def test_importing_the_same_cod_table_again_changes_nothing_and_export_gives_it_back(db):
    onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=False)
    again = onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=False)

    assert again.totals["new"] == 0 and again.totals["skip"] == 10
    exported = onboarding.AdminAreaResource().export()
    assert exported.headers[:3] == ["ADM1_EN", "ADM1_AR", "ADM1_PCODE"]
    rows = {row["ADM3_PCODE"]: row for row in exported.dict}
    assert set(rows) == {"SY110000", "SY110001", "SY110200", "SY110201", "SY090002"}
    assert rows["SY090002"]["ADM2_AR"] == "دير الزور" and rows["SY090002"]["ADM1_PCODE"] == "SY09"


def test_a_cod_table_round_trips_through_xlsx(db):
    onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=False)
    xlsx = onboarding.AdminAreaResource().export().export("xlsx")
    for level in (3, 2, 1):
        AdminArea.objects.filter(level=level).delete()

    result = onboarding.import_file("admin_areas", xlsx, "xlsx", dry_run=False)

    assert not onboarding.row_errors(result)
    assert AdminArea.objects.count() == 10
    assert AdminArea.objects.get(pcode="SY110001").name_ar == "الكرامة"


def test_a_dry_run_writes_nothing(db):
    result = onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=True)

    assert result.totals["new"] == 10
    assert not AdminArea.objects.exists()


def test_a_cod_row_whose_area_is_too_long_refuses_the_whole_file(db):
    bad = COD_ADM3 + "X,س,SY990001,Y,ص," + "P" * 30 + ",Ar-Raqqa,الرقة,SY11,Syria,SY\n"

    result = onboarding.import_file("admin_areas", bad.encode(), "csv", dry_run=False)

    errors = onboarding.row_errors(result)
    assert errors and any("pcode" in m for messages in errors.values() for m in messages)
    assert not AdminArea.objects.exists()


def users_rows(team: Team) -> list[dict]:
    return [
        {"username": "amina", "first_name": "Amina", "last_name": "Haddad", "email": "", "role": "collector",
         "team": team.code},
        {"username": "omar", "first_name": "Omar", "last_name": "Saleh", "email": "", "role": "collector",
         "team": "no-such-team"},
        {"username": "amina", "first_name": "Amina", "last_name": "H.", "email": "", "role": "collector",
         "team": team.code},
        {"username": "layla", "first_name": "Layla", "last_name": "Kh.", "email": "", "role": "boss",
         "team": team.code},
    ]


def test_a_users_file_with_mistakes_is_refused_whole_with_each_rows_error(team):
    before = User.objects.count()

    result = onboarding.import_file("users", as_csv(users_rows(team)), "csv", dry_run=False)

    errors = onboarding.row_errors(result)
    assert set(errors) == {2, 3, 4}  # data rows: 1 is fine, 2 has an unknown team, 3 repeats 1, 4 an unknown role
    assert any("no-such-team" in m for m in errors[2])
    assert any("twice" in m and "rows 1 and 3" in m for m in errors[3])
    assert any("boss" in m for m in errors[4])
    assert User.objects.count() == before
    assert not User.objects.filter(username="amina").exists()


def test_a_team_of_another_organisation_is_refused(team, other_org):
    rows = [{"username": "sami", "role": "collector", "organisation": other_org.code, "team": team.code}]

    result = onboarding.import_file("users", as_csv(rows), "csv", dry_run=False)

    assert "another organisation" in str(onboarding.row_errors(result))
    assert not User.objects.filter(username="sami").exists()


def test_imported_users_get_their_role_team_and_no_password(team, project):
    rows = [{"username": "amina", "first_name": "Amina", "role": "Field collector", "team": team.code,
             "projects": ""},
            {"username": "dina", "first_name": "Dina", "role": "donor", "team": "", "projects": project.code}]

    result = onboarding.import_file("users", as_csv(rows), "csv", dry_run=False)

    assert not onboarding.row_errors(result)
    amina = User.objects.get(username="amina")
    assert access.role(amina) == Role.COLLECTOR and amina.team == team and amina.organisation == team.organisation
    assert not amina.has_usable_password() and amina.is_staff
    dina = User.objects.get(username="dina")
    assert access.role(dina) == Role.DONOR and list(dina.projects.all()) == [project] and not dina.is_staff


def test_an_im_officer_onboards_an_organisation_with_teams_30_users_and_admin_areas_from_three_files(db):
    teams = [{"code": f"ema-t{n}", "name": f"Tabqa Team {n}", "organisation": "ema",
              "organisation_name": "Euphrates Mine Action"} for n in range(1, 4)]
    users = [{"username": f"worker{n:02}", "first_name": f"Worker {n}", "last_name": "", "email": "",
              "role": "supervisor" if n <= 2 else "collector", "team": "" if n <= 2 else f"ema-t{n % 3 + 1}",
              "organisation": "ema"} for n in range(1, 31)]

    results = [
        onboarding.import_file("teams", as_csv(teams), "csv", dry_run=False),
        onboarding.import_file("users", as_csv(users), "csv", dry_run=False),
        onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=False),
    ]

    assert [onboarding.row_errors(r) for r in results] == [{}, {}, {}]
    org = Organisation.objects.get(code="ema")
    assert org.teams.count() == 3
    assert User.objects.filter(organisation=org).count() == 30
    assert sum(access.role(u) == Role.SUPERVISOR for u in User.objects.filter(organisation=org)) == 2
    assert sorted(t.members.count() for t in org.teams.all()) == [9, 9, 10]
    assert AdminArea.objects.count() == 10


# The admin: the same imports, previewed, confirmed, then each new user's password-set link on a welcome sheet.


def admin_import(client, model: str, content: bytes, filename: str = "file.csv"):
    upload = io.BytesIO(content)
    upload.name = filename
    fmt = 0 if filename.endswith(".csv") else 1
    return client.post(f"/en/admin/surveys/{model}/import/", {"format": fmt, "resource": 0, "import_file": upload})


def test_the_admin_previews_then_imports_users_and_prints_their_password_set_links(client, imofficer, team):
    client.force_login(imofficer)
    rows = [{"username": "amina", "first_name": "Amina", "role": "collector", "team": team.code},
            {"username": "bilal", "first_name": "Bilal", "role": "collector", "team": team.code}]

    preview = admin_import(client, "user", as_csv(rows))

    assert preview.status_code == 200 and preview.context["confirm_form"] is not None
    assert not User.objects.filter(username="amina").exists()
    confirm = preview.context["confirm_form"].initial
    sheet = client.post("/en/admin/surveys/user/process_import/", confirm)

    assert sheet.status_code == 200
    assert User.objects.filter(username__in=["amina", "bilal"]).count() == 2
    links = re.findall(r'class="password-set-link">([^<]+)<', sheet.content.decode())
    assert len(links) == 2

    # Amina opens her link on her phone and chooses a password.
    client.logout()
    form = client.get(links[0].replace("http://testserver", ""), follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "minefield-Raqqa-77",
                                                    "new_password2": "minefield-Raqqa-77"})
    assert done.status_code == 302
    assert User.objects.get(username="amina").check_password("minefield-Raqqa-77")
    # The link works once.
    assert "new_password1" not in client.get(links[0].replace("http://testserver", ""), follow=True).content.decode()


def test_the_admin_preview_shows_row_errors_and_offers_no_confirmation(client, imofficer, team):
    client.force_login(imofficer)

    preview = admin_import(client, "user", as_csv(users_rows(team)))

    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    assert "no-such-team" in preview.content.decode()
    assert not User.objects.filter(username="amina").exists()


def test_the_admin_imports_xlsx_admin_areas(client, imofficer):
    client.force_login(imofficer)
    xlsx = onboarding.read_dataset(COD_ADM3.encode(), "csv").export("xlsx")

    preview = admin_import(client, "adminarea", xlsx, "areas.xlsx")
    assert preview.context["confirm_form"] is not None
    client.post("/en/admin/surveys/adminarea/process_import/", preview.context["confirm_form"].initial)

    assert AdminArea.objects.get(pcode="SY110200").name_ar == "الثورة"


def test_the_admin_exports_users_with_role_and_team(client, imofficer, collector):
    client.force_login(imofficer)

    response = client.post("/en/admin/surveys/user/export/", {"format": 0, "resource": 0, **{
        f"userresource_{name}": "on" for name in ["username", "role", "team", "organisation"]}})

    assert response.status_code == 200
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows["collector"]["role"] == "collector" and rows["collector"]["team"] == collector.team.code


@pytest.mark.parametrize("persona", ["supervisor", "collector", "donor"])
def test_only_administrators_import_or_export(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/en/admin/surveys/team/import/").status_code in (302, 403)
    assert client.get("/en/admin/surveys/team/export/").status_code in (302, 403)


def test_the_welcome_sheet_gives_no_link_for_someone_with_a_password(client, imofficer, collector):
    client.force_login(imofficer)
    response = client.post("/en/admin/surveys/user/", {"action": "welcome_sheet", "_selected_action": [collector.pk]})

    assert response.status_code == 200
    assert "password-set-link" not in response.content.decode()
    assert f.PASSWORD not in response.content.decode()


def test_a_file_over_the_row_limit_is_refused_unread(db, monkeypatch):
    monkeypatch.setattr(onboarding, "MAX_ROWS", 3)

    result = onboarding.import_file("admin_areas", COD_ADM3.encode(), "csv", dry_run=False)

    assert "at most 3 rows" in str(onboarding.row_errors(result))
    assert not AdminArea.objects.exists()
