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
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from surveys import flags, rules
from surveys.models import Photo, Report

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 12 MP camera is 12 million; a decompression bomb is hundreds of millions
LONG_EDGE_PX = 1600
THUMB_EDGE_PX = 320
JPEG_QUALITY = 82
FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}  # MPO: the JPEG variant many phone cameras write
# Markup or script in an image's metadata, or after its end, means it was made to be read as something else too. Only
# those parts are searched: compressed pixel data is random-looking bytes in which any short pattern turns up by chance
# (a two-byte one like "<%" in nearly every photo).
_POLYGLOT = re.compile(rb"<(script|html|svg|iframe|body|object|embed)[\s/>]|<\?php|javascript:", re.IGNORECASE)


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


def _jpeg_layout(data: bytes) -> tuple[list[bytes], int | None]:
    """The metadata segments (APPn, COM) of a JPEG and the offset just past its end-of-image marker (None: no end).

    Walks the segments and skips each scan's compressed data up to the next marker. Images that follow directly (the
    second picture of an MPO) are walked the same way.
    """
    metadata: list[bytes] = []
    i, n = 0, len(data)
    while data[i:i + 2] == b"\xff\xd8":
        i += 2
        end = None
        while i + 1 < n and end is None:
            if data[i] != 0xFF:
                return metadata, None
            marker = data[i + 1]
            if marker == 0xFF:  # fill byte
                i += 1
            elif marker == 0xD9:
                end = i + 2
            elif marker == 0x01 or 0xD0 <= marker <= 0xD7:
                i += 2
            else:
                length = int.from_bytes(data[i + 2:i + 4], "big")
                if length < 2 or i + 2 + length > n:
                    return metadata, None
                if 0xE0 <= marker <= 0xEF or marker == 0xFE:
                    metadata.append(data[i + 4:i + 2 + length])
                i += 2 + length
                if marker == 0xDA:  # compressed data runs to the next marker that is not stuffing or a restart
                    while True:
                        i = data.find(b"\xff", i)
                        if i == -1 or i + 1 >= n:
                            return metadata, None
                        following = data[i + 1]
                        if following == 0x00 or 0xD0 <= following <= 0xD7:
                            i += 2
                        elif following == 0xFF:
                            i += 1
                        else:
                            break
        if end is None:
            return metadata, None
        i = end
    return metadata, i


def _png_layout(data: bytes) -> tuple[list[bytes], int | None]:
    """The ancillary chunks (text, EXIF...) of a PNG and the offset just past its IEND chunk."""
    metadata: list[bytes] = []
    i, n = 8, len(data)
    while i + 12 <= n:
        length = int.from_bytes(data[i:i + 4], "big")
        kind = data[i + 4:i + 8]
        if i + 12 + length > n:
            return metadata, None
        if kind == b"IEND":
            return metadata, i + 12 + length
        if kind[:1].islower():
            metadata.append(data[i + 8:i + 8 + length])
        i += 12 + length
    return metadata, None


def _webp_layout(data: bytes) -> tuple[list[bytes], int | None]:
    """The EXIF and XMP chunks of a WebP and the end of its RIFF container."""
    end = 8 + int.from_bytes(data[4:8], "little")
    if end > len(data):
        return [], None
    metadata: list[bytes] = []
    i = 12
    while i + 8 <= end:
        kind, length = data[i:i + 4], int.from_bytes(data[i + 4:i + 8], "little")
        if kind in (b"EXIF", b"XMP "):
            metadata.append(data[i + 8:i + 8 + length])
        i += 8 + length + (length & 1)
    return metadata, end


_LAYOUTS = {"JPEG": _jpeg_layout, "MPO": _jpeg_layout, "PNG": _png_layout, "WEBP": _webp_layout}


def _hides_something(data: bytes, metadata: list[bytes], end: int) -> bool:
    """Anything but padding after the image's end, or markup or script in its metadata: a polyglot file."""
    return bool(data[end:].strip(b"\x00\r\n ")) or any(_POLYGLOT.search(part) for part in metadata)


def _gps_degrees(values, ref) -> float | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    return -value if ref in ("S", "W") else value


def plausible_taken_at(value: datetime | None) -> datetime | None:
    """A capture time, or None when it cannot be true (a camera clock set to 2099, or before rules.DATE_MIN): the
    photo is still kept — it is the evidence — only the impossible date is dropped, not shown to anyone as a fact."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + timedelta(days=1) or timezone.localdate(value) < rules.DATE_MIN:
        return None
    return value


def _exif_facts(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """Capture time and GPS point from the camera's EXIF, read before the metadata is dropped."""
    exif = image.getexif()
    taken_at = lat = lon = None
    raw = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            # Cameras write local time with no zone: read it in the site's zone (TIME_ZONE), as forms read times.
            taken_at = timezone.make_aware(datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
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
    except Image.DecompressionBombError:
        raise _refuse(_("This image has too many pixels to be a photo.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(_("This file is not a photo we can read. Send a JPEG, PNG or WebP image.")) from None
    if fmt not in FORMATS:
        raise _refuse(_("Only JPEG, PNG and WebP photos are accepted."))
    if width * height > MAX_PIXELS:
        raise _refuse(_("This image has too many pixels to be a photo (%(mp)s megapixels).")
                      % {"mp": width * height // 1_000_000})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # the full decode: a truncated or corrupt file fails here
            metadata, end = _LAYOUTS[fmt](data)
            if end is None:
                raise OSError("no end of image")
            if _hides_something(data, metadata, end):
                raise _refuse(_("This photo file contains something other than an image and was refused."))
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
        taken_at=plausible_taken_at(taken_at) or plausible_taken_at(processed.taken_at),
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
