"""Real image files for photo tests, made with Pillow: a camera photo with EXIF, and the broken or hostile files the
server must refuse."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

TAKEN_AT = "2026:11:20 09:30:15"
# 35°57'00"N 39°00'36"E: Raqqa.
GPS = {1: "N", 2: (35.0, 57.0, 0.0), 3: "E", 4: (39.0, 0.0, 36.0)}


def scene(width: int, height: int, seed: int = 1) -> Image.Image:
    """Something like a photo: sky, ground, a building, and sensor noise, so it compresses like one."""
    w, h = max(width // 4, 1), max(height // 4, 1)
    image = Image.new("RGB", (w, h), (120, 160, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, h * 0.55, w, h), fill=(150, 130, 100))
    draw.rectangle((w * 0.2, h * 0.3, w * 0.7, h * 0.75), fill=(200, 190, 170))
    for i in range(8):
        x = w * (0.25 + i * 0.055)
        draw.rectangle((x, h * 0.4, x + w * 0.03, h * 0.5), fill=(60, 60, 70))
    image = image.filter(ImageFilter.GaussianBlur(1)).resize((width, height), Image.Resampling.BILINEAR)
    grain = Image.effect_noise((width, height), 18 + seed)
    return Image.blend(image, Image.merge("RGB", [grain, grain, grain]), 0.22)


def camera_jpeg(width: int = 4000, height: int = 3000, *, orientation: int = 6, quality: int = 92,
                exif: bool = True) -> bytes:
    """A phone camera's JPEG: EXIF capture time, GPS point, camera model and an orientation tag (6: turn 90°)."""
    image = scene(width, height)
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x0110] = "Field phone X1"  # Model: metadata that must not survive
        tags[0x0112] = orientation
        tags.get_ifd(0x8769)[0x9003] = TAKEN_AT
        tags.get_ifd(0x8825).update(GPS)
        image.save(out, "JPEG", quality=quality, exif=tags.tobytes())
    else:
        image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def small_jpeg(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    scene(width, height).save(out, "JPEG", quality=85)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """An upload cut off halfway."""
    data = small_jpeg()
    return data[: len(data) // 2]


def png_bomb(width: int = 20_000, height: int = 10_000) -> bytes:
    """A decompression bomb: a few KB of PNG that would decode to hundreds of millions of pixels."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def text_as_jpg() -> bytes:
    return b"Report notes, not a photo.\nGPS 35.95 39.01\n" * 20


def jpeg_with_script() -> bytes:
    """A valid JPEG with a page appended: a browser sniffing it could run the script."""
    return small_jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_with_alpha(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (255, 0, 0, 128)).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
