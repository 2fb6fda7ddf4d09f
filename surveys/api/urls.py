"""Routes of API v1, mounted at /api/v1/ (outside the language prefixes)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from surveys.api import views
from surveys.api.indicators import IndicatorsView
from surveys.api.tokens import DeviceTokenViewSet, TokenView

app_name = "api"

router = DefaultRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("surveys", views.SurveyReportViewSet, basename="survey")
router.register("clearances", views.ClearanceReportViewSet, basename="clearance")
router.register("eore-sessions", views.EoreSessionViewSet, basename="eore-session")
router.register("photos", views.PhotoViewSet, basename="photo")
router.register("sites", views.SiteViewSet, basename="site")
router.register("admin-areas", views.AdminAreaViewSet, basename="admin-area")
router.register("explosive-items", views.ExplosiveItemViewSet, basename="explosive-item")
router.register("auth/tokens", DeviceTokenViewSet, basename="token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("indicators/", IndicatorsView.as_view(), name="indicators"),
    path("auth/token/", TokenView.as_view(), name="token"),
    *router.urls,
]
