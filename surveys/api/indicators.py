"""GET /api/v1/indicators/: the donor figures (surveys.indicators) as JSON, with the indicators page's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from surveys import access, indicators


def _int(text):
    return serializers.IntegerField(help_text=text)


def _dec(text):
    return serializers.DecimalField(max_digits=16, decimal_places=3, coerce_to_string=False, help_text=text)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The record's id.")
    name = serializers.CharField(help_text="Its name, in the request's language.")


class FiltersOutSerializer(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True, help_text="First activity date counted (inclusive).")
    date_to = serializers.DateField(allow_null=True, help_text="Last activity date counted (inclusive).")
    project = NamedSerializer(allow_null=True, help_text="The grant counted, if one was chosen.")
    donor = NamedSerializer(allow_null=True, help_text="The donor whose grants are counted, if one was chosen.")
    organisation = NamedSerializer(allow_null=True, help_text="The organisation counted, if one was chosen.")
    governorate = NamedSerializer(allow_null=True, help_text="The governorate counted (with its districts).")


class SiteRowSerializer(serializers.Serializer):
    site_type = serializers.CharField(help_text="Site type code (school, health_facility, …; 'total' for all).")
    label = serializers.CharField(help_text="Site type label in the request's language.")
    surveyed = _int("Distinct sites with an approved survey in the period.")
    worked_on = _int("Distinct sites with an approved clearance report in the period.")
    closed = _int("Distinct sites with an approved completion report in the period (closed and handed over).")
    not_closed = _int("Of the sites in this row, those not closed today.")
    remaining_m2 = _int("Area still to release today on those sites, in m².")


class LandSerializer(serializers.Serializer):
    clearance_reports = _int("Approved clearance reports counted.")
    cancelled_m2 = _int("Area cancelled by non-technical survey, m².")
    reduced_m2 = _int("Area reduced by technical survey, m².")
    cleared_m2 = _int("Area cleared, m².")
    total_m2 = _int("Cancelled + reduced + cleared, m².")
    remaining_m2 = _int("Area remaining today on the sites not closed, m².")


class ItemRowSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Explosive ordnance category code ('total' for all).")
    label = serializers.CharField(help_text="Category label in the request's language.")
    quantity = _int("Items destroyed (in situ, or moved and destroyed).")
    weight_kg = _dec("Their total weight in kg.")
    tonnes = _dec("Their total weight in tonnes.")


class PeopleRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Age band or group code (e.g. 5_12, under_18, 18_24).")
    label = serializers.CharField(help_text="Its label in the request's language.")
    female = _int("Women and girls reached.")
    male = _int("Men and boys reached.")
    total = _int("Everyone reached in this band or group.")


class RiskEducationSerializer(serializers.Serializer):
    sessions = _int("Approved risk-education sessions.")
    participants = _int("People reached.")
    by_age = PeopleRowSerializer(many=True, help_text="The six age bands recorded.")
    rollups = PeopleRowSerializer(many=True, help_text="Children under 18, adults 18+, young adults 18–24, under 25.")
    unmas_bands = PeopleRowSerializer(many=True, help_text="The UNMAS Syria form's bands (5–12, 13–17, 18+) and 0–4.")
    girls = _int("Girls (female under 18).")
    boys = _int("Boys (male under 18).")
    women = _int("Women (female 18 and over).")
    men = _int("Men (male 18 and over).")
    persons_with_disabilities = _int("Persons with disabilities reached.")
    first_time_attendees = _int("People reached for the first time.")


class MethodRowSerializer(serializers.Serializer):
    method = serializers.CharField(help_text="Clearance method code (manual, mechanical, mdd).")
    label = serializers.CharField(help_text="Method label in the request's language.")
    clearance_reports = _int("Approved clearance reports of this method.")
    cleared_m2 = _int("Area cleared by this method, m².")
    released_m2 = _int("Area released (cancelled + reduced + cleared) by the reports of this method, m².")


class MonthRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month of activity.")
    released_m2 = _int("Area released in the month, m².")
    items_destroyed = _int("Explosive items destroyed in the month.")
    people_reached = _int("People reached by risk education in the month.")


class IndicatorsSerializer(serializers.Serializer):
    filters = FiltersOutSerializer(help_text="The filters applied.")
    sites = SiteRowSerializer(many=True, help_text="Sites by site type.")
    sites_total = SiteRowSerializer(help_text="Sites of every type.")
    land = LandSerializer(help_text="Land released.")
    items = ItemRowSerializer(many=True, help_text="Explosive items destroyed, by category.")
    items_total = ItemRowSerializer(help_text="Explosive items destroyed, all categories.")
    items_not_destroyed = _int("Items rendered safe or handed over: removed, not counted as destroyed.")
    risk_education = RiskEducationSerializer(help_text="Risk education (EORE) sessions and people reached.")
    land_by_method = MethodRowSerializer(many=True, help_text="Land released by clearance method.")
    land_beneficiaries = _int("People expected to benefit (latest approved survey) on the sites closed and handed "
                              "over in the period.")
    trend = MonthRowSerializer(many=True, help_text="Per month of activity, from the first month with a figure to "
                                                    "the last.")


def _filter(name, kind, text):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=text)


class IndicatorsView(APIView):
    """Donor figures over approved reports only, within what the user may count (access.reports_for_figures)."""

    @extend_schema(
        summary="Indicators (donor figures)",
        description="Only approved reports count. Donor viewers see their grants only; supervisors their "
                    "organisation; administrators everything. Field collectors are refused (403).",
        parameters=[
            _filter("date_from", OpenApiTypes.DATE, "First activity date counted (inclusive)."),
            _filter("date_to", OpenApiTypes.DATE, "Last activity date counted (inclusive)."),
            _filter("project", OpenApiTypes.INT, "A grant's id (one the user may see)."),
            _filter("donor", OpenApiTypes.INT, "A donor's id."),
            _filter("organisation", OpenApiTypes.INT, "An organisation's id."),
            _filter("governorate", OpenApiTypes.INT, "A governorate's id (admin area of level 1)."),
        ],
        responses=IndicatorsSerializer,
    )
    def get(self, request):
        if not access.can_see_figures(request.user):
            raise PermissionDenied("Only donor viewers, supervisors and administrators see the figures.")
        form = indicators.FiltersForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        figures = indicators.compute(request.user, form.filters)
        return Response(IndicatorsSerializer(figures.as_dict()).data)
