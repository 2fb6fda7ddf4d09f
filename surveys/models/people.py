"""Who works: organisations, their teams, donors and their grants, users, and the administrative areas they work in."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="teams", verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class Donor(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A grant: one donor funds one organisation's work for a period."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    donor = models.ForeignKey(Donor, models.PROTECT, related_name="projects", verbose_name=_("donor"))
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="projects", verbose_name=_("organisation")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project (grant)")
        verbose_name_plural = _("projects (grants)")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class User(AbstractUser):
    """A person who signs in. Their role is their group; organisation, team and projects say whose data they see."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("organisation")
    )
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team"))
    projects = models.ManyToManyField(
        Project, blank=True, related_name="viewers", verbose_name=_("projects"),
        help_text=_("For donor viewers: the grants whose figures they may see."),
    )

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.organisation_id and self.team.organisation_id != self.organisation_id:
            raise ValidationError({"team": _("This team belongs to another organisation.")})


class AdminArea(models.Model):
    """Governorate (1), district (2) or sub-district (3), with its OCHA P-code."""

    class Level(models.IntegerChoices):
        GOVERNORATE = 1, _("Governorate")
        DISTRICT = 2, _("District")
        SUB_DISTRICT = 3, _("Sub-district")

    pcode = models.CharField(_("P-code"), max_length=20, unique=True, null=True, blank=True,
                             help_text=_("OCHA P-code, where known."))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["level", "name_en"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self) -> str:
        if get_language() == "ar" and self.name_ar:
            return self.name_ar
        return self.name_en

    def clean(self) -> None:
        if self.level == self.Level.GOVERNORATE and self.parent_id:
            raise ValidationError({"parent": _("A governorate has no parent area.")})
        if self.level > self.Level.GOVERNORATE and (not self.parent_id or self.parent.level != self.level - 1):
            raise ValidationError({"parent": _("The parent must be the area one level up.")})
