"""What a 12-megapixel camera photo costs on the wire: the upload the phone sends after its downscale (budget: at most
500 KB), measured in Chromium running the form's own script, and what the server stores.

Photos, each 4000×3000 at JPEG quality 92: a camera-like scene with sensor grain and EXIF (orientation, time, GPS), a
texture with detail at every scale (rubble filling the frame), and a worst case (full-colour noise, which no JPEG
compresses well: the script lowers the quality until the photo fits the budget). The server is configured like production
(bench_page_weight.production_server: SQLite, or PostgreSQL with --postgres or a postgres DATABASE_URL). Each photo is
chosen on a fresh phone (browser context) and measured once the form has kept it in the outbox's IndexedDB store.

    python bench/bench_photo_size.py [--postgres]
"""

import argparse
import base64
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_page_weight import LAUNCH, PHONE, production_server, sign_in  # noqa: E402
from tests import images  # noqa: E402

BUDGET_KB = 500
# Waits until the form has kept the photo on the phone (a row in the outbox's own store, read through the page's module
# instance), then returns its size and bytes; size -1 when the form could not prepare it. Polled in the page: the
# predicate is asynchronous (IndexedDB), which page.wait_for_function does not await.
KEPT = """async () => {
  const src = document.querySelector('script[type=module][src*="/js/outbox."]').src;
  const store = (await import(src)).offline.store;
  const report = document.querySelector("form.report-form").elements.uuid.value;
  for (const deadline = Date.now() + 60000; Date.now() < deadline;) {
    if (document.querySelector("[data-photo-list] .photo-card.failed")) return {size: -1, data: ""};
    const rows = await store.photos(report);
    if (rows.length) {
      const data = await new Promise(resolve => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result.split(",")[1]);
        reader.readAsDataURL(rows[0].blob);
      });
      return {size: rows[0].blob.size, data: data};
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return null;
}"""


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

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at DATABASE_URL (default .../fieldapp_bench)")
    parser.add_argument("--keep", action="store_true", help="ignored (accepted as the other benchmarks do)")
    args = parser.parse_args()
    photos = {"camera-like scene": images.camera_jpeg(), "rubble-like texture": texture_jpeg(),
              "worst case: colour noise": noise_jpeg()}
    failures = []
    with (tempfile.TemporaryDirectory() as tmp, production_server(args.postgres) as (base, manage, vendor),
          sync_playwright() as pw):
        browser = pw.chromium.launch(**LAUNCH)
        print(f"Photos chosen in the survey form, served by make serve on {vendor}")
        print(f"{'photo (4000×3000)':<28}{'file':>10}{'kept':>10}{'on phone':>10}{'stored':>10}")
        for name, data in photos.items():
            path = Path(tmp) / "photo.jpg"
            path.write_bytes(data)
            context = browser.new_context(**PHONE)  # a fresh phone: no draft or photo kept from the photo before
            page = context.new_page()
            sign_in(page, base)
            page.goto(base + "/en/reports/new/survey/")
            started = time.perf_counter()
            page.locator("input[data-photo-input][multiple]").set_input_files(path)
            # The outbox sends photos after their report: the JPEG the form keeps on the phone is what will go up.
            kept = page.evaluate(KEPT)
            seconds = time.perf_counter() - started
            if kept is None:
                raise SystemExit(f"{name}: the form kept no photo in a minute")
            jpeg = kept["size"]
            stored = "-"
            if jpeg > 0:
                kept_path = Path(tmp) / "kept.jpg"
                kept_path.write_bytes(base64.b64decode(kept["data"]))
                stored = manage("shell", "--no-imports", "-c",
                                "from django.core.files.uploadedfile import SimpleUploadedFile as U; "
                                "from surveys import photos; "
                                f"p = photos.process(U('p.jpg', open({str(kept_path)!r}, 'rb').read(), 'image/jpeg')); "
                                "print(p.image.size)").strip()
                stored = f"{int(stored) / 1024:.0f}K"
            context.close()
            print(f"{name:<28}{len(data) / 1024:>9.0f}K{jpeg / 1024:>9.0f}K{seconds:>9.1f}s{stored:>10}")
            if jpeg < 0 or jpeg > BUDGET_KB * 1024:
                failures.append(f"{name}: " + (f"{jpeg / 1024:.0f} KB kept to send" if jpeg > 0 else "not prepared"))
        browser.close()
    print(f"'kept' is the JPEG the phone keeps and later uploads (the outbox sends photos after their report); 'on "
          f"phone' the time from choosing the photo to keeping it (EXIF read, decode, downscale to 1600 px, JPEG "
          f"encode); 'stored' what the server makes of it (surveys.photos.process). Budget: {BUDGET_KB} KB. "
          + ("Within budget." if not failures else "OVER: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
