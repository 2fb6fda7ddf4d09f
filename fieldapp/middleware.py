"""Response compression: Django's GZipMiddleware (with its BREACH mitigation, see settings.MIDDLEWARE), minus photos."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class GZipMiddleware(DjangoGZipMiddleware):
    """Pages, JSON and CSV exports are compressed; images are not (a JPEG does not shrink, gzip would only cost CPU)."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("image/"):
            return response
        return super().process_response(request, response)
