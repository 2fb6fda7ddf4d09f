"""The backup and restore procedure of the README, carried out: pg_dump -Fc of the database plus a copy of the photos,
pg_restore into a fresh database, and the restored app gives byte-identical CSV exports, indicators and photos.
PostgreSQL only (marker postgres): that is the production database the procedure is for."""

import hashlib
import os
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection

from surveys import exports
from surveys.models import Photo, User
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def snapshot(client) -> dict[str, bytes]:
    """Everything a donor report or a reviewer relies on, as the bytes the app sends."""
    client.force_login(User.objects.get(username="imofficer"))
    taken = {}
    for slug in exports.EXPORTS:
        response = client.get(f"/en/figures/exports/{slug}.csv")
        assert response.status_code == 200
        taken[slug] = b"".join(response.streaming_content)
    for url in ("/en/figures/indicators.csv", "/ar/figures/indicators.csv", "/api/v1/indicators/"):
        response = client.get(url)
        assert response.status_code == 200
        taken[url] = b"".join(response.streaming_content) if response.streaming else response.content
    for pk in Photo.objects.order_by("pk").values_list("pk", flat=True):
        response = client.get(f"/en/photos/{pk}/")
        taken[f"photo {pk}"] = hashlib.sha256(b"".join(response.streaming_content)).digest()
    return taken


def walk(storage, folder: str = ""):
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for sub in folders:
        yield from walk(storage, f"{folder}{sub}/")


def copy_all(source, target) -> int:
    """The photo half of a backup (rsync of MEDIA_ROOT, or a bucket sync), done through the storage API so it is the
    same for a folder and a bucket."""
    count = 0
    for name in walk(source):
        with source.open(name, "rb") as file:
            assert target.save(name, file) == name
        count += 1
    return count


def pg(*args: str) -> None:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    subprocess.run([*args, "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]],
                   check=True, env=env, capture_output=True, timeout=300)


def test_a_restore_into_a_fresh_database_gives_byte_identical_exports_indicators_and_photos(client, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are for PostgreSQL: run with DATABASE_URL=postgres://...")
    if not shutil.which("pg_dump"):
        pytest.skip("needs pg_dump and pg_restore (apt-get install postgresql-client)")
    f.roles()  # a transactional test before this one may have flushed the role groups
    call_command("seed_demo", "--force", stdout=StringIO())
    before = snapshot(client)
    assert sum(key.startswith("photo ") for key in before) >= 5

    # Backup: the database in PostgreSQL's custom format, and the photos.
    original = connection.settings_dict["NAME"]
    dump = tmp_path / "fieldapp.dump"
    pg("pg_dump", "-Fc", "--no-owner", "-f", str(dump), "-d", original)
    backup = FileSystemStorage(location=tmp_path / "photos-backup")
    assert copy_all(default_storage, backup) == 2 * Photo.objects.count()

    # Restore on a new machine: a fresh database and a fresh photo folder.
    restored = f"{original}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        pg("pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump))
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "restored-media")}}}
        copy_all(backup, default_storage)
        connection.close()
        connection.settings_dict["NAME"] = restored
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            assert cursor.fetchone()[0] == restored  # what follows reads the restored copy only
        after = snapshot(client)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert after.keys() == before.keys()
    differing = [key for key in before if after[key] != before[key]]
    assert differing == []
