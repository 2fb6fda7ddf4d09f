"""Copy every stored photo between the local disk (MEDIA_ROOT) and the object-storage bucket, verifying each copy.

    manage.py move_photos --to bucket     # before switching a server from disk to the bucket (AWS_* set)
    manage.py move_photos --to disk       # and back
    manage.py move_photos --to bucket --delete-source   # also remove each verified original

Which files: the ones the database names (each photo's image and thumbnail, and those of photos waiting for their
report), so stray files are left alone and a missing one is reported. Resumable: a file already at the destination
with the same SHA-256 is skipped, so an interrupted run is simply run again; a destination file that differs (a copy
cut short) is replaced. Every copy is read back from the destination and its SHA-256 compared with the source's before
it counts (and before --delete-source removes anything). Exits with an error if any file was missing or failed.

The bucket is the one the AWS_* variables describe (settings.PHOTO_BUCKET_STORAGE), whether or not it is the default
storage yet; the disk is MEDIA_ROOT.
"""

import hashlib

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.management.base import BaseCommand, CommandError

from surveys.models import PendingPhoto, Photo

CHUNK_BYTES = 1024 * 1024


def sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names():
    """Every file name the database points at, once each."""
    for model in (Photo, PendingPhoto):
        for image, thumbnail in model.objects.order_by("pk").values_list("image", "thumbnail").iterator(2000):
            yield from (name for name in (image, thumbnail) if name)


class Command(BaseCommand):
    help = "Copy photos between local disk (MEDIA_ROOT) and the object-storage bucket, resumable, checked by SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--to", choices=["bucket", "disk"], required=True, help="Where the photos should be.")
        parser.add_argument("--delete-source", action="store_true",
                            help="Delete each original once its copy is verified.")

    def handle(self, *args, to: str, delete_source: bool, **options):
        if settings.PHOTO_BUCKET_STORAGE is None:
            raise CommandError("No bucket is configured: set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL, the "
                               "keys...) to the bucket, then run this again.")
        bucket = storages.create_storage(settings.PHOTO_BUCKET_STORAGE)
        disk = FileSystemStorage(location=settings.MEDIA_ROOT)
        source, target = (disk, bucket) if to == "bucket" else (bucket, disk)
        counts = {"copied": 0, "skipped": 0, "missing": 0, "failed": 0}
        for name in stored_names():
            outcome = self.move(name, source, target, delete_source)
            counts[outcome] += 1
            if outcome in ("missing", "failed"):
                self.stderr.write(f"{outcome}: {name}")
        summary = ", ".join(f"{count} {what}" for what, count in counts.items())
        if counts["missing"] or counts["failed"]:
            raise CommandError(f"Not every photo is at the {to}: {summary}.")
        self.stdout.write(f"Every photo is at the {to}: {summary}.")

    def move(self, name: str, source: Storage, target: Storage, delete_source: bool) -> str:
        if not source.exists(name):
            # Already moved by an earlier run with --delete-source, or lost: only the destination can say.
            return "skipped" if target.exists(name) else "missing"
        expected = sha256(source, name)
        if target.exists(name):
            if sha256(target, name) == expected:
                if delete_source:
                    source.delete(name)
                return "skipped"
            target.delete(name)  # a copy cut short: replace it
        with source.open(name, "rb") as original:
            saved = target.save(name, File(original, name=name))
        if saved != name or sha256(target, saved) != expected:
            target.delete(saved)
            return "failed"
        if delete_source:
            source.delete(name)
        return "copied"
