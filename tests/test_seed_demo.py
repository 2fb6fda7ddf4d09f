from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from surveys.models import Photo, Report, ReviewEvent, Site, User


def counts():
    return (Report.objects.count(), Site.objects.count(), Photo.objects.count(), ReviewEvent.objects.count(),
            User.objects.count())


def test_seed_demo_is_idempotent_and_covers_every_state(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert 55 <= first[1] <= 65  # about 60 sites
    states = set(Report.objects.values_list("kind", "status").annotate(n=Count("pk")).values_list("kind", "status"))
    assert states == {(k, s) for k in Report.Kind.values for s in Report.Status.values}
    assert {"collector", "supervisor", "donor", "imofficer"} <= set(User.objects.values_list("username", flat=True))
    assert User.objects.get(username="donor").check_password("demo-pass-2026")
    assert "collector" in out.getvalue() and "demo-pass-2026" in out.getvalue()


def test_seed_demo_takes_a_password(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", password="another-pass-1", stdout=StringIO())
    assert User.objects.get(username="supervisor").check_password("another-pass-1")


def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Report.objects.exists()
