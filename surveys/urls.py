from django.contrib.auth import views as auth_views
from django.urls import path

from surveys import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("photos/<uuid:pk>/", views.photo, name="photo"),
    path("photos/<uuid:pk>/thumbnail/", views.photo, {"thumbnail": True}, name="photo_thumbnail"),
]
