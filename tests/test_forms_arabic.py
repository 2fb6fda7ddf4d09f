"""The Arabic translation: complete, compiled, and used by the field pages."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from surveys.forms import SurveyForm

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def po_entries(po: Path = PO) -> dict[str, str]:
    """msgid → msgstr of every entry of the Arabic .po file (the header left out)."""
    entries = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if found:
            def text(lines):
                return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")
            entries[text(found.group(1))] = text(found.group(2))
        assert "#, fuzzy" not in block, block
    entries.pop("", None)
    return entries


def test_every_string_has_an_arabic_translation():
    entries = po_entries()
    # A plural form may be wrapped over several lines (as makemessages writes long ones): join them.
    plural_forms = ["".join(re.findall(r'"(.*)"', lines))
                    for lines in re.findall(r'^msgstr\[\d\] ((?:".*"\n?)+)', PO.read_text(encoding="utf-8"), re.M)]

    assert len(entries) > 300 and len(plural_forms) % 6 == 0 and plural_forms
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert "" not in plural_forms


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages (as `make messages` runs it) on a copy of the code: no string of the code or the templates may come
    out untranslated, as one added without `make messages` would."""
    for name in ("surveys", "templates", "fieldapp", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "fieldapp.settings", "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    fresh = po_entries(tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po")
    assert [msgid for msgid, msgstr in fresh.items() if not msgstr] == []


def test_the_compiled_catalogue_holds_every_translation():
    with open(PO.with_suffix(".mo"), "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)

    stale = [msgid for msgid, msgstr in po_entries().items() if catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` to compile the .mo"


def test_placeholders_survive_translation():
    for msgid, msgstr in po_entries().items():
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_field_pages_speak_arabic(client, collector):
    client.force_login(collector)

    page = client.get("/ar/").content.decode()

    assert "تقاريري" in page and "مسح جديد" in page and "تقرير تطهير جديد" in page


def test_form_labels_and_errors_are_in_arabic(collector):
    with translation.override("ar"):
        form = SurveyForm({"site_name": ""}, user=collector)
        assert form.fields["estimated_area_m2"].label == "المساحة التقديرية (م²)"
        assert not form.is_valid()
        assert form.errors["site_name"] == ["أدخل اسم الموقع الجديد، أو اختر موقعاً موجوداً."]
