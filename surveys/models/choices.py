"""Enumerations of the mine-action records (IMAS and IMSMA terms) and the age bands of people reached."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COLLECTOR = "collector", _("Field collector")
    SUPERVISOR = "supervisor", _("Supervisor")
    DONOR = "donor", _("Donor viewer")
    ADMINISTRATOR = "administrator", _("Administrator")


class SiteType(models.TextChoices):
    SCHOOL = "school", _("School")
    HEALTH = "health_facility", _("Health facility")
    BRIDGE = "bridge", _("Bridge")
    WATER = "water_plant", _("Water plant")
    ROAD = "road", _("Road")
    RESIDENTIAL = "residential", _("Residential")
    AGRICULTURAL = "agricultural", _("Agricultural")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Classification(models.TextChoices):
    SHA = "sha", _("Suspected hazardous area (SHA)")
    CHA = "cha", _("Confirmed hazardous area (CHA)")
    EOD_SPOT = "eod_spot", _("EOD spot task")


class SiteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WORKED_ON = "worked_on", _("Worked on")
    CLOSED = "closed", _("Closed")


class Evidence(models.TextChoices):
    DIRECT = "direct", _("Direct evidence")
    INDIRECT = "indirect", _("Indirect evidence")


class EOCategory(models.TextChoices):
    AP_MINE = "ap_mine", _("Anti-personnel mine")
    AV_MINE = "av_mine", _("Anti-vehicle mine")
    IED = "ied", _("Improvised explosive device")
    CLUSTER = "cluster_submunition", _("Cluster submunition")
    UXO = "uxo", _("Unexploded ordnance (UXO)")
    AXO = "axo", _("Abandoned explosive ordnance (AXO)")
    OTHER = "other", _("Other")


class Blockage(models.TextChoices):
    NONE = "none", _("No blockage")
    HOUSING = "housing", _("Housing")
    AGRICULTURE = "agriculture", _("Agriculture")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SERVICES = "services", _("Services (school, health, water)")
    ROADS = "roads", _("Roads and access")
    OTHER = "other", _("Other")


class SurveyType(models.TextChoices):
    NON_TECHNICAL = "non_technical", _("Non-technical survey")
    TECHNICAL = "technical", _("Technical survey")


class ClearanceKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    COMPLETION = "completion", _("Completion")


class ClearanceMethod(models.TextChoices):
    MANUAL = "manual", _("Manual")
    MECHANICAL = "mechanical", _("Mechanical")
    MDD = "mdd", _("Mine detection dog")


class Disposal(models.TextChoices):
    IN_SITU = "destroyed_in_situ", _("Destroyed in situ")
    MOVED = "moved_and_destroyed", _("Moved and destroyed")
    RENDERED_SAFE = "rendered_safe", _("Rendered safe")
    HANDED_OVER = "handed_over", _("Handed over")


class PlaceType(models.TextChoices):
    SCHOOL = "school", _("School")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CAMP = "camp", _("Camp")
    HOUSEHOLD = "household", _("Household")
    OTHER = "other", _("Other")


class DeliveryMethod(models.TextChoices):
    GROUP = "face_to_face_group", _("Face to face group")
    HOUSE_TO_HOUSE = "house_to_house", _("House to house")
    FOCUS_GROUP = "focus_group", _("Focus group discussion")
    PEER_TO_PEER = "peer_to_peer", _("Peer-to-peer")
    OTHER = "other", _("Other")


# Age bands for people reached: (field suffix, label). Each band is counted for female and male.
AGE_BANDS = [
    ("0_4", _("0–4")),
    ("5_12", _("5–12")),
    ("13_17", _("13–17")),
    ("18_24", _("18–24")),
    ("25_59", _("25–59")),
    ("60_plus", _("60+")),
]
SEXES = [("female", _("Female")), ("male", _("Male"))]
PARTICIPANT_FIELDS = [f"{sex}_{band}" for band, _label in AGE_BANDS for sex, _s in SEXES]
