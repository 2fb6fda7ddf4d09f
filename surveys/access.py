"""Who may see or do what. Every view, API endpoint, export and admin page asks this module and nothing else.

The rules (DOMAIN.md, "Who sees what"):
- field collector: captures reports for their team; edits their own drafts and returned reports; sees their team's;
- supervisor: sees and reviews every report of their organisation;
- donor viewer: approved reports of their grants only, as figures and exports; no exact coordinates of uncleared
  hazards, no photos;
- administrator (information management officer): everything.
A user's role is their group (a superuser is an administrator); a user with no role sees nothing.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from surveys.models import (
    AdminArea,
    DeviceToken,
    Donor,
    Organisation,
    PendingPhoto,
    Photo,
    Project,
    Report,
    ReviewEvent,
    Role,
    Site,
    SiteStatus,
    Team,
)

GROUP_NAMES = {
    Role.COLLECTOR: "Field collector",
    Role.SUPERVISOR: "Supervisor",
    Role.DONOR: "Donor viewer",
    Role.ADMINISTRATOR: "Administrator",
}
# When a user is in several groups, the widest role wins.
_PRECEDENCE = [Role.ADMINISTRATOR, Role.SUPERVISOR, Role.COLLECTOR, Role.DONOR]


def role(user) -> Role | None:
    """The user's role, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_fieldapp_role"):
        if user.is_superuser:
            user._fieldapp_role = Role.ADMINISTRATOR
        else:
            names = set(user.groups.values_list("name", flat=True))
            user._fieldapp_role = next((r for r in _PRECEDENCE if GROUP_NAMES[r] in names), None)
    return user._fieldapp_role


# Reports ---------------------------------------------------------------------------------------------------------------


def visible_reports(user, queryset: QuerySet | None = None) -> QuerySet:
    """The reports (of any type, or of the queryset's type) this user may see."""
    qs = Report.objects.all() if queryset is None else queryset
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return qs
    if r == Role.SUPERVISOR and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if r == Role.COLLECTOR and user.team_id:
        return qs.filter(team_id=user.team_id)
    if r == Role.DONOR:
        return qs.filter(status=Report.Status.APPROVED, project__in=user.projects.all())
    return qs.none()


def can_view_report(user, report: Report) -> bool:
    return visible_reports(user, Report.objects.filter(pk=report.pk)).exists()


def can_create_report(user) -> bool:
    """Field collectors (and administrators who belong to a team) capture reports for their team."""
    return role(user) in (Role.COLLECTOR, Role.ADMINISTRATOR) and bool(user.team_id)


def selectable_projects(user) -> QuerySet:
    """The grants a user may put on the reports they capture: those of their team's organisation."""
    if not can_create_report(user):
        return Project.objects.none()
    return Project.objects.filter(organisation_id=user.team.organisation_id)


def can_edit_report(user, report: Report) -> bool:
    """Content changes: the collector's own draft or returned report (an administrator may fix any of those)."""
    if not report.is_editable:
        return False
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return True
    return r == Role.COLLECTOR and report.captured_by_id == user.pk and report.team_id == user.team_id


def can_review_report(user, report: Report) -> bool:
    """Approve, return or reopen: supervisors of the report's organisation, and administrators."""
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return True
    return r == Role.SUPERVISOR and bool(user.organisation_id) and report.organisation_id == user.organisation_id


def can_review(user) -> bool:
    """Whether the user reviews reports at all (for menus and admin actions)."""
    return role(user) in (Role.SUPERVISOR, Role.ADMINISTRATOR)


def review_organisations(user) -> QuerySet:
    """The organisations whose reports the user reviews: the review desk's filter choices (a small lookup table, not a
    scan of the reports)."""
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return Organisation.objects.all()
    if r == Role.SUPERVISOR and user.organisation_id:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.none()


def review_teams(user) -> QuerySet:
    return Team.objects.filter(organisation__in=review_organisations(user))


def review_projects(user) -> QuerySet:
    return Project.objects.filter(organisation__in=review_organisations(user))


def visible_review_events(user, queryset: QuerySet | None = None) -> QuerySet:
    """The review history of the reports this user may see."""
    qs = ReviewEvent.objects.all() if queryset is None else queryset
    return qs.filter(report__in=visible_reports(user).values("pk"))


def get_report_for_user(user, pk: int, action: str = "view") -> Report:
    """The report (as its specific type) if the user may see it; 404 if not, 403 if they may see but not `action` it.

    action: "view", "edit" or "review".
    """
    report = visible_reports(user).filter(pk=pk).select_related("organisation", "team", "captured_by").first()
    if report is None:
        raise Http404("No such report.")
    checks = {"view": lambda u, r: True, "edit": can_edit_report, "review": can_review_report}
    if not checks[action](user, report):
        raise PermissionDenied
    return report.specific


# Photos ----------------------------------------------------------------------------------------------------------------


def can_view_photos(user) -> bool:
    """Donor viewers never see photos: risk-education photos are of children, hazard photos locate hazards."""
    return role(user) in (Role.COLLECTOR, Role.SUPERVISOR, Role.ADMINISTRATOR)


def visible_photos(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Photo.objects.all() if queryset is None else queryset
    if not can_view_photos(user):
        return qs.none()
    if role(user) == Role.ADMINISTRATOR:
        return qs  # no subquery of every report id: exports ask this once per chunk of rows
    return qs.filter(report__in=visible_reports(user).values("pk"))


def get_photo_for_user(user, pk) -> Photo:
    photo = visible_photos(user).filter(pk=pk).first()
    if photo is None:
        raise Http404("No such photo.")
    return photo


def can_add_photo(user, report: Report) -> bool:
    """Photos go with the collector's own draft or returned report, and also with their submitted report while it
    waits for the photos its device announced: the phone sends the report first, then each photo, and the report
    must not be stuck half-sent because the supervisor's queue already has it."""
    if can_edit_report(user, report):
        return True
    return (
        report.status == Report.Status.SUBMITTED
        and role(user) in (Role.COLLECTOR, Role.ADMINISTRATOR)
        and report.captured_by_id == user.pk
        and report.waiting_for_photos
    )


def can_hold_photo(user, form_uuid) -> bool:
    """A photo may wait for the report of `form_uuid` if the user may create that report, or edit it once it exists."""
    report = Report.objects.filter(uuid=form_uuid).first()
    if report is None:
        return can_create_report(user)
    return can_add_photo(user, report)


def pending_photos(user, form_uuid) -> QuerySet:
    """Photos waiting for a report that is not saved yet: only the person who chose them sees them."""
    if role(user) is None:
        return PendingPhoto.objects.none()
    return PendingPhoto.objects.filter(uploaded_by=user, form_uuid=form_uuid)


def get_pending_photo_for_user(user, pk) -> PendingPhoto:
    found = PendingPhoto.objects.filter(pk=pk, uploaded_by_id=user.pk).first() if role(user) else None
    if found is None:
        raise Http404("No such photo.")
    return found


# Sites -----------------------------------------------------------------------------------------------------------------


def visible_sites(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Site.objects.all() if queryset is None else queryset
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return qs
    if r in (Role.SUPERVISOR, Role.COLLECTOR) and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if r == Role.DONOR:
        approved = Report.objects.filter(status=Report.Status.APPROVED, project__in=user.projects.all())
        return qs.filter(
            Q(clearances__in=approved.filter(kind=Report.Kind.CLEARANCE).values("pk"))
            | Q(surveys__in=approved.filter(kind=Report.Kind.SURVEY).values("pk"))
        ).distinct()
    return qs.none()


def capture_sites(user) -> QuerySet:
    """Sites a field worker may report on: their team's, and their organisation's sites that no team holds."""
    if not can_create_report(user):
        return Site.objects.none()
    return visible_sites(user).filter(
        Q(team_id=user.team_id) | Q(team__isnull=True, organisation_id=user.team.organisation_id)
    )


def capture_admin_areas(user) -> QuerySet:
    """Administrative areas a field worker's pick list offers (OpenRosa's media files): the governorates where their
    capture sites lie, with every district and sub-district in them; every area while their sites name none (a new
    operation). Areas are public geography: the filter keeps a phone's list short, it hides nothing."""
    if not can_create_report(user):
        return AdminArea.objects.none()
    areas = AdminArea.objects.filter(pk__in=capture_sites(user).exclude(admin_area=None).values("admin_area_id"))
    governorates = set()
    for area in areas.select_related("parent__parent"):
        top = area
        while top.parent_id:
            top = top.parent
        governorates.add(top.pk)
    if not governorates:
        return AdminArea.objects.all()
    return AdminArea.objects.filter(
        Q(pk__in=governorates) | Q(parent_id__in=governorates) | Q(parent__parent_id__in=governorates)
    )


def sees_exact_location(user, site_status: str | None) -> bool:
    """Donor viewers see the location of a hazard only to about 1 km until the site is closed (cleared)."""
    return _sees_exact_location(role(user), site_status)


def _sees_exact_location(user_role: Role | None, site_status: str | None) -> bool:
    return user_role != Role.DONOR or site_status == SiteStatus.CLOSED


def sees_every_location(user) -> bool:
    """Whether every point and outline the user may see is exact (everyone but donor viewers): lets the map skip
    asking location_rule for each of thousands of features."""
    return _sees_exact_location(role(user), None) and _sees_exact_location(role(user), SiteStatus.OPEN)


def sees_report_location(user, report: Report) -> bool:
    """Whether the user sees a report's exact point and outline. The same rule as the exports (location_rule): a
    risk-education session has no site, and where children gathered is as sensitive as a hazard, so donors see it
    rounded."""
    site = getattr(report.specific, "site", None)
    return sees_exact_location(user, site.status if site else None)


def coarse(value: float | None) -> float | None:
    """A coordinate rounded to 0.01° (about 1 km)."""
    return None if value is None else round(value, 2)


# Figures and exports ---------------------------------------------------------------------------------------------------


def can_see_figures(user) -> bool:
    return role(user) in (Role.DONOR, Role.SUPERVISOR, Role.ADMINISTRATOR)


def reports_for_figures(user, queryset: QuerySet | None = None) -> QuerySet:
    """Approved reports within the user's sight: the only ones that count in donor figures and exports."""
    if not can_see_figures(user):
        qs = Report.objects.all() if queryset is None else queryset
        return qs.none()
    return visible_reports(user, queryset).filter(status=Report.Status.APPROVED)


def rollups_for_figures(user, queryset: QuerySet) -> QuerySet:
    """The cells of a roll-up of approved figures (surveys.models.rollups) that count for this user: the same rule as
    reports_for_figures, on the cells' copied organisation and grant."""
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return queryset
    if r == Role.SUPERVISOR and user.organisation_id:
        return queryset.filter(organisation_id=user.organisation_id)
    if r == Role.DONOR:
        return queryset.filter(project_id__in=user.projects.values("pk"))
    return queryset.none()


def sites_for_figures(user) -> QuerySet | None:
    """The sites whose all-time figures count for this user, when the rule can be said of sites alone (administrators:
    all; supervisors: their organisation's, as a site and its reports share the organisation); None when it cannot
    (donor viewers count by grant, which only reports carry)."""
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return Site.objects.all()
    if r == Role.SUPERVISOR and user.organisation_id:
        return Site.objects.filter(organisation_id=user.organisation_id)
    return None


def figure_projects(user) -> QuerySet:
    """The grants a user may filter figures and exports by: no one learns the names of grants they cannot see."""
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return Project.objects.all()
    if r == Role.SUPERVISOR and user.organisation_id:
        return Project.objects.filter(organisation_id=user.organisation_id)
    if r == Role.DONOR:
        return user.projects.all()
    return Project.objects.none()


def figure_donors(user) -> QuerySet:
    if role(user) == Role.ADMINISTRATOR:
        return Donor.objects.all()
    return Donor.objects.filter(pk__in=figure_projects(user).values("donor_id"))


def figure_organisations(user) -> QuerySet:
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return Organisation.objects.all()
    if r == Role.SUPERVISOR:
        return Organisation.objects.filter(pk=user.organisation_id)
    return Organisation.objects.filter(pk__in=figure_projects(user).values("organisation_id"))


def figure_governorates(user) -> QuerySet:
    """Governorates are public geography: everyone who sees figures may filter by any of them."""
    if not can_see_figures(user):
        return AdminArea.objects.none()
    return AdminArea.objects.filter(level=AdminArea.Level.GOVERNORATE)


def sees_staff_names(user) -> bool:
    """Who captured a report is the operator's business: shown to its supervisors and administrators, not donors."""
    return role(user) in (Role.COLLECTOR, Role.SUPERVISOR, Role.ADMINISTRATOR)


Point = tuple[float | None, float | None, bool]


def location_for(user, site_status: str | None, latitude: float | None, longitude: float | None) -> Point:
    """The point a user may see for a report: (latitude, longitude, exact). Rounded to ~1 km when not exact."""
    return location_rule(user)(site_status, latitude, longitude)


def location_rule(user) -> Callable[[str | None, float | None, float | None], Point]:
    """location_for bound to one user, for exports that ask it for every row: the user's role is read once."""
    user_role = role(user)

    def locate(site_status: str | None, latitude: float | None, longitude: float | None) -> Point:
        if _sees_exact_location(user_role, site_status):
            return latitude, longitude, True
        return coarse(latitude), coarse(longitude), False

    return locate


def can_manage_lookups(user) -> bool:
    return role(user) == Role.ADMINISTRATOR


def can_reassign_reports(user) -> bool:
    """Changing a report's organisation, team or author, or picking any organisation's grant or site: administrators."""
    return role(user) == Role.ADMINISTRATOR


def reports_to_correct(user, queryset: QuerySet | None = None) -> QuerySet:
    """Reports returned for correction that this user may correct (can_edit_report's rule, as a query): listed first
    on their home page until corrected."""
    queryset = visible_reports(user, queryset).filter(status=Report.Status.RETURNED)
    r = role(user)
    if r == Role.ADMINISTRATOR:
        return queryset.none()  # an administrator may fix any of them, but none is theirs to correct
    if r != Role.COLLECTOR:
        return queryset.none()
    return queryset.filter(captured_by=user, team_id=user.team_id)


# Accounts ---------------------------------------------------------------------------------------------------------------


def tokens_of(user) -> QuerySet:
    """The API tokens a user may list and revoke outside admin: their own, still valid. Administrators manage
    everyone's in admin."""
    if user is None or not user.is_authenticated:
        return DeviceToken.objects.none()
    return DeviceToken.objects.live().filter(user=user)


def get_token_for_user(user, pk) -> DeviceToken:
    try:
        return tokens_of(user).get(pk=pk)
    except (DeviceToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Maps ------------------------------------------------------------------------------------------------------------------


def mapped_sites(user) -> QuerySet:
    """The sites a user's map shows: a field collector's map is their team's own sites (what they work on from the
    phone); everyone else's, the sites they see."""
    if role(user) == Role.COLLECTOR:
        return visible_sites(user).filter(team_id=user.team_id) if user.team_id else Site.objects.none()
    return visible_sites(user)


def can_open_site_page(user) -> bool:
    """The site's page is its admin page, which supervisors and administrators open (SiteAdmin asks visible_sites)."""
    return role(user) in (Role.SUPERVISOR, Role.ADMINISTRATOR)
