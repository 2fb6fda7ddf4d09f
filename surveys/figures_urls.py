from django.urls import path

from surveys import exports_views, figures_views, map_views

app_name = "figures"
urlpatterns = [
    path("", figures_views.indicators_page, name="indicators"),
    path("indicators.csv", figures_views.indicators_csv, name="indicators_csv"),
    path("map/", map_views.figures_map, name="map"),
    path("exports/", figures_views.exports_page, name="exports"),
    path("exports/<slug:slug>.csv", figures_views.export_csv, name="export_csv"),
    path("indicators.xlsx", exports_views.indicators_xlsx, name="indicators_xlsx"),
    path("exports/<slug:slug>.xlsx", exports_views.export_xlsx, name="export_xlsx"),
    path("exports/<slug:slug>.geojson", exports_views.export_geojson, name="export_geojson"),
]
