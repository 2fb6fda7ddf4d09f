from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from fieldapp import health
from surveys import map_views, offline
from surveys.api import DESCRIPTION as API_DESCRIPTION

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # for the load balancer: no sign-in, no language prefix
    path("i18n/", include("django.conf.urls.i18n")),
    # The service worker controls the pages below its own path: it is served from the root, in every language.
    path("sw.js", offline.service_worker, name="service_worker"),
    # The API is not a page: no language prefix.
    path("api/v1/", include("surveys.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(custom_settings={"DESCRIPTION": API_DESCRIPTION}),
         name="api-schema"),
    # The split view serves Swagger UI's start-up script as its own request (?script): no inline script, as the
    # Content-Security-Policy requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ODK Collect and KoboCollect: the server URL a team types is the site's address followed by /openrosa.
    path("openrosa/", include("surveys.openrosa.urls")),
    # The maps' one GeoJSON endpoint: codes, not words, so one URL (and one cached answer) for every language.
    path("map/features.geojson", map_views.map_features, name="map_features"),
]
urlpatterns += i18n_patterns(
    path("admin/map/", admin.site.admin_view(map_views.admin_map), name="admin_map"),
    path("admin/", admin.site.urls),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("figures/", include("surveys.figures_urls")),
    path("", include("surveys.urls")),
)
