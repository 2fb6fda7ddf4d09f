"""Every model is in admin; administrators manage lookups and users, others may at most look."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group

from surveys import workflow
from surveys.access import GROUP_NAMES
from surveys.models import AdminArea, Role, Team, User
from tests import factories as f

LOOKUPS = ["organisation", "team", "donor", "project", "adminarea", "user"]


def test_every_model_of_the_app_is_in_admin():
    missing = [
        model.__name__ for model in apps.get_app_config("surveys").get_models()
        if model not in admin.site._registry
        and not model.__name__.startswith("Historical")
        and model.__name__ != "ExplosiveItem"  # edited as lines of its clearance report
        and model.__name__ != "PendingPhoto"  # a form's photos before its report is saved: only for their uploader
        and model.__module__ != "surveys.models.rollups"  # derived figures, kept by the workflow (rebuild_rollups)
    ]
    assert missing == []


@pytest.mark.parametrize("model", LOOKUPS + ["site", "photo", "reviewevent", "report"])
def test_the_administrator_can_browse_every_list(client, imofficer, model):
    client.force_login(imofficer)
    assert client.get(f"/en/admin/surveys/{model}/").status_code == 200


@pytest.mark.parametrize("model", LOOKUPS)
def test_the_administrator_can_add_lookups(client, imofficer, model):
    client.force_login(imofficer)
    assert client.get(f"/en/admin/surveys/{model}/add/").status_code == 200


def test_the_administrator_adds_a_team(client, imofficer, org):
    client.force_login(imofficer)
    response = client.post("/en/admin/surveys/team/add/", {"organisation": org.pk, "name": "Tabqa Team 2",
                                                          "code": "tabqa-2"})
    assert response.status_code == 302
    assert Team.objects.get(code="tabqa-2").organisation == org


def test_the_administrator_creates_a_user_with_organisation_team_and_role(client, imofficer, org, team):
    client.force_login(imofficer)
    collectors = Group.objects.get(name=GROUP_NAMES[Role.COLLECTOR])
    response = client.post("/en/admin/surveys/user/add/", {
        "username": "newcomer", "password1": "a-long-pass-phrase-2026", "password2": "a-long-pass-phrase-2026",
        "usable_password": "true", "organisation": org.pk, "team": team.pk, "groups": [collectors.pk],
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newcomer")
    assert (user.organisation, user.team, list(user.groups.all())) == (org, team, [collectors])


def test_the_user_admin_refuses_a_team_of_another_organisation(client, imofficer, org, other_org):
    user = f.user(Role.COLLECTOR, org, username="moving")
    client.force_login(imofficer)
    page = client.get(f"/en/admin/surveys/user/{user.pk}/change/")
    assert 'name="projects"' in page.text and 'name="team"' in page.text and 'name="groups"' in page.text
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name not in ("password",)}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"team": f.team(other_org).pk, "last_login_0": "", "last_login_1": "",
                 "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00"})
    response = client.post(f"/en/admin/surveys/user/{user.pk}/change/", data)
    assert response.status_code == 200
    assert "This team belongs to another organisation." in response.text


def test_the_user_list_shows_organisation_team_and_role(client, imofficer, collector):
    client.force_login(imofficer)
    row = client.get("/en/admin/surveys/user/").text.split(">collector</a>")[1].split("</tr>")[0]
    assert "Euphrates Mine Action" in row and "Raqqa Team 1" in row and "Field collector" in row


@pytest.mark.parametrize("persona", ["supervisor", "collector"])
def test_others_cannot_change_lookups_or_see_users(client, persona, request, org):
    client.force_login(request.getfixturevalue(persona))
    team = f.team(org)
    assert client.get("/en/admin/surveys/team/add/").status_code == 403
    assert client.post(f"/en/admin/surveys/team/{team.pk}/change/", {"name": "x"}).status_code == 403
    assert client.get("/en/admin/surveys/user/").status_code == 403
    assert client.get("/en/admin/surveys/organisation/").status_code == 403


def test_the_supervisor_may_look_at_teams_and_projects(client, supervisor, project):
    client.force_login(supervisor)
    assert client.get("/en/admin/surveys/team/").status_code == 200
    page = client.get(f"/en/admin/surveys/project/{project.pk}/change/")
    assert page.status_code == 200 and 'name="code"' not in page.text


def test_review_events_and_photos_are_read_only_even_for_the_administrator(client, imofficer, collector):
    report = workflow.submit(f.eore(collector), collector)
    event = report.review_events.get()
    client.force_login(imofficer)
    assert client.get("/en/admin/surveys/reviewevent/add/").status_code == 403
    assert client.get("/en/admin/surveys/photo/add/").status_code == 403
    page = client.get(f"/en/admin/surveys/reviewevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.post(f"/en/admin/surveys/reviewevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_supervisor_sees_only_their_organisations_review_events(client, supervisor, collector, outsider):
    ours = workflow.submit(f.eore(collector), collector)
    workflow.submit(f.eore(outsider), outsider)
    client.force_login(supervisor)
    listed = client.get("/en/admin/surveys/reviewevent/").context["cl"].result_list
    assert [e.report_id for e in listed] == [ours.pk]


def test_admin_areas_nest_and_are_searchable(client, imofficer):
    raqqa = AdminArea.objects.create(level=1, name_en="Ar-Raqqa", name_ar="الرقة", pcode="SY11")
    client.force_login(imofficer)
    response = client.get("/en/admin/surveys/adminarea/", {"q": "SY11"})
    assert list(response.context["cl"].result_list) == [raqqa]

