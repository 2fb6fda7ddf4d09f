from django.urls import path

from surveys.openrosa import views

app_name = "openrosa"
urlpatterns = [
    path("formList", views.FormList.as_view(), name="form_list"),
    path("forms/<str:form_id>/form.xml", views.FormXml.as_view(), name="form_xml"),
    path("forms/<str:form_id>/manifest", views.Manifest.as_view(), name="manifest"),
    path("forms/<str:form_id>/media/<str:name>", views.MediaFile.as_view(), name="media"),
    path("submission", views.Submission.as_view(), name="submission"),
]
