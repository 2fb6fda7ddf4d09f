"""Site.expected_beneficiaries: the people expected to benefit from the site's latest approved survey, kept by
surveys.rollups; filled here for the sites that have approved surveys already."""

from django.db import migrations, models
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Site = apps.get_model("surveys", "Site")
    SurveyReport = apps.get_model("surveys", "SurveyReport")
    latest = (
        SurveyReport.objects.filter(site_id=OuterRef("pk"), status="approved")
        .order_by("-activity_date", "-pk").values("expected_beneficiaries")[:1]
    )
    Site.objects.filter(approved_surveys__gt=0).update(
        expected_beneficiaries=Coalesce(Subquery(latest, output_field=IntegerField()), Value(0)))


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0011_merge_i12s_i13"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsite",
            name="expected_beneficiaries",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="site",
            name="expected_beneficiaries",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
