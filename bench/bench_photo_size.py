"""What a 12-megapixel camera photo costs on the wire: the upload the phone sends after its downscale (budget: at most
500 KB), measured in Chromium running the form's own script, and what the server stores.

Photos, each 4000×3000 at JPEG quality 92: a camera-like scene with sensor grain and EXIF (orientation, time, GPS), a
texture with detail at every scale (rubble filling the frame), and a worst case (full-colour noise, which no JPEG
compresses well: the script lowers the quality until the photo fits the budget). The server is configured like production
(bench_page_weight.production_server).

    python bench/bench_photo_size.py
"""

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_page_weight import LAUNCH, PHONE, production_server, sign_in  # noqa: E402
from tests import images  # noqa: E402

BUDGET_KB = 500


def _jpeg(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def texture_jpeg() -> bytes:
    """Detail at every scale, like rubble or gravel filling the frame: hard for JPEG, though not as hard as noise."""
    from PIL import Image

    def layer(scale: int):
        size = (4000 // scale, 3000 // scale)
        bands = [Image.effect_noise(size, 60) for _ in range(3)]
        return Image.merge("RGB", bands).resize((4000, 3000), Image.Resampling.BICUBIC)

    image = layer(32)
    for scale, weight in [(8, 0.5), (2, 0.35), (1, 0.2)]:
        image = Image.blend(image, layer(scale), weight)
    return _jpeg(image)


def noise_jpeg() -> bytes:
    from PIL import Image

    return _jpeg(Image.merge("RGB", [Image.effect_noise((4000, 3000), 60 + band) for band in range(3)]))


def main() -> int:
    from playwright.sync_api import sync_playwright

    photos = {"camera-like scene": images.camera_jpeg(), "rubble-like texture": texture_jpeg(),
              "worst case: colour noise": noise_jpeg()}
    failures = []
    with tempfile.TemporaryDirectory() as tmp, production_server() as (base, manage), sync_playwright() as pw:
        browser = pw.chromium.launch(**LAUNCH)
        page = browser.new_context(**PHONE).new_page()
        sign_in(page, base)
        print(f"{'photo (4000×3000)':<28}{'file':>10}{'kept':>10}{'on phone':>10}{'stored':>10}")
        for name, data in photos.items():
            path = Path(tmp) / "photo.jpg"
            path.write_bytes(data)
            page.goto(base + "/en/reports/new/survey/")
            # The outbox keeps the downscaled photo on the phone (drafts.js keepPhoto) and sends it after the report:
            # the JPEG it keeps is what will go up. Record its bytes as it is kept.
            page.wait_for_function("() => window.fieldapp && window.fieldapp.keepPhoto")
            page.evaluate("""() => { const keep = window.fieldapp.keepPhoto; window.keptJpeg = 0;
                window.fieldapp.keepPhoto = function (card, id, prepared) {
                    window.keptJpeg = prepared ? prepared.blob.size : -1;
                    window.keptBlob = prepared ? prepared.blob : null;
                    return keep.apply(this, arguments); }; }""")
            started = time.perf_counter()
            page.locator("input[data-photo-input][multiple]").set_input_files(path)
            page.wait_for_function("() => window.keptJpeg !== 0", timeout=60_000)
            seconds = time.perf_counter() - started
            jpeg = page.evaluate("window.keptJpeg")
            kept = Path(tmp) / "kept.jpg"
            kept.write_bytes(bytes(page.evaluate(
                "async () => Array.from(new Uint8Array(await window.keptBlob.arrayBuffer()))")))
            stored = manage("shell", "--no-imports", "-c",
                            "from django.core.files.uploadedfile import SimpleUploadedFile as U; "
                            "from surveys import photos; "
                            f"p = photos.process(U('p.jpg', open({str(kept)!r}, 'rb').read(), 'image/jpeg')); "
                            "print(p.image.size)").strip()
            print(f"{name:<28}{len(data) / 1024:>9.0f}K{jpeg / 1024:>9.0f}K{seconds:>9.1f}s{int(stored) / 1024:>9.0f}K")
            if jpeg < 0 or jpeg > BUDGET_KB * 1024:
                failures.append(f"{name}: {jpeg / 1024:.0f} KB kept to send")
        browser.close()
    print(f"'kept' is the JPEG the phone keeps and later uploads (the outbox sends photos after their report); 'on "
          f"phone' the time from choosing the photo to keeping it (EXIF read, decode, downscale to 1600 px, JPEG "
          f"encode); 'stored' what the server makes of it (surveys.photos.process). Budget: {BUDGET_KB} KB. "
          + ("Within budget." if not failures else "OVER: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
