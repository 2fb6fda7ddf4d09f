from surveys.models.choices import *  # noqa: F403
from surveys.models.openrosa import OpenRosaInstance
from surveys.models.pending import PendingPhoto
from surveys.models.people import AdminArea, Donor, Organisation, Project, Team, User
from surveys.models.reports import ClearanceReport, EoreSession, ExplosiveItem, Photo, Report, ReviewEvent, SurveyReport
from surveys.models.sites import Site
from surveys.models.tokens import DeviceToken

__all__ = [
    "AdminArea", "ClearanceReport", "DeviceToken", "Donor", "EoreSession", "ExplosiveItem", "OpenRosaInstance",
    "Organisation", "PendingPhoto", "Photo",
    "Project", "Report", "ReviewEvent", "Site", "SurveyReport", "Team", "User",
]
