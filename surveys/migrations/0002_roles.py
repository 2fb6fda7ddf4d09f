"""The four roles as groups, with the model permissions admin needs. What each role may see is surveys.access."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORT_MODELS = ["surveyreport", "clearancereport", "eoresession", "explosiveitem", "photo"]
ROLES = {
    "Field collector": [f"{a}_{m}" for m in REPORT_MODELS for a in ("view", "add", "change")]
    + ["view_site", "view_adminarea", "view_report"],
    "Supervisor": [f"view_{m}" for m in REPORT_MODELS]
    + ["view_report", "view_reviewevent", "view_site", "view_adminarea", "view_team", "view_project",
       "review_report", "export_report"],
    "Donor viewer": ["export_report", "view_project"],
    "Administrator": None,  # every permission of the app, and users
}


def forward(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames is None:
            perms = Permission.objects.filter(content_type__app_label__in=["surveys", "auth", "authtoken"])
        else:
            perms = Permission.objects.filter(content_type__app_label="surveys", codename__in=codenames)
        group.permissions.set(perms)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
