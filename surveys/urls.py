from django.contrib.auth import views as auth_views
from django.urls import path

from surveys import account_views, map_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("rules.json", views.rules_json, name="rules_json"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *account_views.urlpatterns,
    path("reports/new/<str:kind>/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("sites/search/", views.site_search, name="site_search"),
    path("map/", map_views.field_map, name="field_map"),
    path("photos/pending/", views.pending_photo_upload, name="pending_photo_upload"),
    path("photos/pending/<uuid:pk>/", views.pending_photo, name="pending_photo"),
    path("photos/<uuid:pk>/", views.photo, name="photo"),
    path("photos/<uuid:pk>/thumbnail/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
