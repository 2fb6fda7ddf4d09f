"""Photo uploads: the one place an uploaded file is checked and turned into a stored photo.

Pillow opens and fully decodes the file; only JPEG, PNG and WebP within a byte and a pixel limit are accepted;
truncated, non-image and polyglot files (an image with a script or page appended) are refused and nothing is stored.
An accepted image is re-encoded as JPEG with its EXIF orientation applied and every other piece of metadata dropped,
plus a thumbnail.
"""

import contextlib
import io
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from surveys import flags
from surveys.models import Photo, Report

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 12 MP camera is 12 million; a decompression bomb is hundreds of millions
LONG_EDGE_PX = 1600
THUMB_EDGE_PX = 320
JPEG_QUALITY = 82
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: the JPEG variant many phone cameras write
# Markup or script inside an image file means it was made to be read as something else too.
_POLYGLOT = re.compile(rb"<\s*(script|html|svg|iframe|body|\?php|%)|#!/|javascript:", re.IGNORECASE)


@dataclass
class Processed:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None


def _refuse(message) -> ValidationError:
    return ValidationError(message, code="photo")


def _trailing_data(data: bytes, fmt: str) -> bool:
    """Bytes after the image's end marker (other than padding): something was appended to the picture."""
    if fmt in ("JPEG", "MPO"):
        end = data.rfind(b"\xff\xd9")
        return end == -1 or data[end + 2:].strip(b"\x00\r\n ") != b""
    if fmt == "PNG":
        end = data.rfind(b"IEND")
        return end == -1 or data[end + 8:].strip(b"\x00\r\n ") != b""
    return False


def _gps_degrees(values, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if ref in ("S", "W") else value


def _exif_facts(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """Capture time and GPS point from the camera's EXIF, read before the metadata is dropped."""
    exif = image.getexif()
    taken_at = lat = lon = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            taken_at = timezone.make_aware(datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S"), timezone.utc)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if gps:
        lat = _gps_degrees(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef))
        lon = _gps_degrees(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef))
        if lat is not None and not -90 <= lat <= 90 or lon is not None and not -180 <= lon <= 180:
            lat = lon = None
    return taken_at, lat, lon


def _jpeg(image: Image.Image, edge: int) -> ContentFile:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def process(upload) -> Processed:
    """Check an uploaded file and re-encode it, or raise ValidationError with a message for the user."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("This photo is too large (over 15 MB). Take it again at a lower resolution."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("This photo is too large (over 15 MB). Take it again at a lower resolution."))
    if not data:
        raise _refuse(_("The photo file is empty."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("This file is not a photo we can read. Send a JPEG, PNG or WebP image.")) from None
    if fmt not in FORMATS:
        raise _refuse(_("Only JPEG, PNG and WebP photos are accepted."))
    if width * height > MAX_PIXELS:
        raise _refuse(_("This image has too many pixels to be a photo (%(mp)s megapixels).")
                      % {"mp": width * height // 1_000_000})
    if _POLYGLOT.search(data) or _trailing_data(data, fmt):
        raise _refuse(_("This photo file contains something other than an image and was refused."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the full decode: a truncated or corrupt file fails here
            taken_at, lat, lon = _exif_facts(image)
            upright = ImageOps.exif_transpose(image)
            if upright.mode in ("RGBA", "LA", "P"):
                upright = upright.convert("RGBA")
                background = Image.new("RGB", upright.size, "white")
                background.paste(upright, mask=upright.getchannel("A"))
                upright = background
            else:
                upright = upright.convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("This photo is damaged or incomplete (perhaps the upload was cut). Send it again.")) from None
    main = _jpeg(upright, LONG_EDGE_PX)
    with Image.open(main) as stored:
        w, h = stored.size
    main.seek(0)
    return Processed(main, _jpeg(upright, THUMB_EDGE_PX), w, h, taken_at, lat, lon)


def add_photo(report: Report, upload, user, *, photo_id: uuid.UUID | None = None, caption: str = "",
              taken_at: datetime | None = None, latitude: float | None = None,
              longitude: float | None = None) -> tuple[Photo, bool]:
    """Store a photo for a report. Idempotent by photo_id: the same photo sent again returns the one stored.

    Returns (photo, created). Raises ValidationError for a refused file or a photo id used by another report.
    Permission is the caller's to check (access.can_add_photo).
    """
    if photo_id is not None:
        existing = Photo.objects.filter(pk=photo_id).first()
        if existing is not None:
            if existing.report_id != report.pk:
                raise _refuse(_("This photo was already sent for another report."))
            return existing, False
    processed = process(upload)
    photo_id = photo_id or uuid.uuid4()
    photo = Photo(
        id=photo_id, report=report, caption=caption[:300], uploaded_by=user,
        taken_at=taken_at or processed.taken_at,
        latitude=latitude if latitude is not None else processed.latitude,
        longitude=longitude if longitude is not None else processed.longitude,
        width=processed.width, height=processed.height, bytes=processed.image.size,
    )
    try:
        with transaction.atomic():
            photo.image.save(f"{photo_id}.jpg", processed.image, save=False)
            photo.thumbnail.save(f"{photo_id}_thumb.jpg", processed.thumbnail, save=False)
            photo.save(force_insert=True)
            flags.refresh_flags(report)
    except IntegrityError:
        # The same photo arrived twice at once: the other request stored it.
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        existing = Photo.objects.filter(pk=photo_id, report=report).first()
        if existing is None:
            raise _refuse(_("This photo was already sent for another report.")) from None
        return existing, False
    except Exception:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        raise
    return photo, True


def delete_photo(photo: Photo) -> None:
    report = photo.report
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: (photo.image.delete(save=False), photo.thumbnail.delete(save=False)))
        flags.refresh_flags(report)
