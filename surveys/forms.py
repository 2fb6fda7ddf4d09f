"""Forms of the field pages: they translate what a worker typed into values (digits, dates, choices) and show the
errors beside their fields. What a report must meet is the shared rule set (surveys.rules), which the models' clean()
applies and a ModelForm runs; the form fields of ruled fields carry no rule of their own (no required, bounds or
length), only the rule set's message for a value that does not parse. Owner, choices and derived values come from the
capture service (surveys.capture).

Numbers: phones with an Arabic keyboard type Arabic-Indic (٠١٢٣) or Persian (۰۱۲۳) digits, the Arabic decimal
separator (٫) and the minus sign (−). Every number and date field of these forms goes through rules.normalise_digits
(the one place this happens, shared with the API), and is rendered as a text input with `inputmode`, which brings up
the numeric keypad without the browser's own number parsing (which refuses those digits).
"""

import json

from django import forms
from django.core import validators as v
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import capture, geo, rules, search
from surveys.models import (
    AGE_BANDS,
    PARTICIPANT_FIELDS,
    SEXES,
    AdminArea,
    ClearanceReport,
    EOCategory,
    EoreSession,
    ExplosiveItem,
    PendingPhoto,
    Photo,
    SurveyReport,
)

normalise_digits = rules.normalise_digits


class _Digits:
    """A form field that accepts any of the digits above; rendered as text with a numeric keypad."""

    inputmode = "numeric"
    widget = forms.TextInput

    number: str | None = None  # "int", "float" or "decimal": read by rules.parse_number, as the API and the phone do

    def to_python(self, value):
        value = normalise_digits(value)
        if self.number is None or value in self.empty_values:
            return super().to_python(value)
        try:
            parsed = rules.parse_number(value, integer=self.number == "int")
        except rules.Invalid:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return float(parsed) if self.number == "float" else parsed

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.inputmode:
            attrs.update({"inputmode": self.inputmode, "autocomplete": "off"})
        return attrs


class IntegerField(_Digits, forms.IntegerField):
    number = "int"


class FloatField(_Digits, forms.FloatField):
    inputmode = "decimal"
    number = "float"


class DecimalField(_Digits, forms.DecimalField):
    inputmode = "decimal"
    number = "decimal"


class DateInput(forms.DateInput):
    """The phone's native date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(_Digits, forms.DateField):
    inputmode = None
    widget = DateInput


_FORM_FIELDS = [
    (models.DecimalField, DecimalField),
    (models.FloatField, FloatField),
    (models.IntegerField, IntegerField),
    (models.DateTimeField, None),
    (models.DateField, DateField),
]


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, with the digit-normalising number and date fields above."""
    for model_class, form_class in _FORM_FIELDS:
        if isinstance(db_field, model_class):
            if form_class and not db_field.choices:
                kwargs.setdefault("form_class", form_class)
            break
    return db_field.formfield(**kwargs)


class OutlineField(forms.CharField):
    """The outline drawn on the map, as GeoJSON text. Parsed with the depth and size limits of rules.safe_json_loads
    (deeply nested JSON would exhaust the standard parser); the outline rule judges what it holds."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return rules.safe_json_loads(value)
        except (ValueError, TypeError):
            raise ValidationError(geo.OUTLINE_MESSAGE, code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except ValidationError:
            return True


class SafeJSONField(forms.JSONField):
    """JSON typed in the admin, parsed within the limits of rules.safe_json_loads (never a RecursionError)."""

    def to_python(self, value):
        if self.disabled or value in self.empty_values or isinstance(value, list | dict | int | float):
            return super().to_python(value)
        try:
            return rules.safe_json_loads(value)
        except (ValueError, TypeError):
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value}) from None

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        try:
            return rules.safe_json_loads(data) if data not in (None, "") else None
        except (ValueError, TypeError):
            return forms.fields.InvalidJSONInput(data)


# Lines to the rule set -------------------------------------------------------------------------------------------------

_RULE_VALIDATORS = (v.MinValueValidator, v.MaxValueValidator, v.MaxLengthValidator, v.DecimalValidator,
                    v.ProhibitNullCharactersValidator)


def follow_rules(fields: dict, report_type: str, scope: str = "report") -> None:
    """Leave the ruled fields' checks to the rule set: not required here, no bounds, lengths or digits limits of their
    own; a value that does not parse gets the rule set's message."""
    ruled = rules.fields(report_type, scope)
    for name, field in fields.items():
        if name not in ruled:
            continue
        field.required = False
        field.validators = [x for x in field.validators if not isinstance(x, _RULE_VALIDATORS)]
        for attr in ("min_value", "max_value", "max_length", "max_digits", "decimal_places"):
            if hasattr(field, attr):
                setattr(field, attr, None)
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs.pop("min", None)
        field.widget.attrs.pop("max", None)
        for rule in rules.rules_for(report_type, scope):
            if rule.field != name:
                continue
            if rule.kind in ("number", "date"):
                field.error_messages["invalid"] = rule.invalid_message
            elif rule.kind == "choice":
                field.error_messages["invalid_choice"] = rule.message


class RuledFormMixin:
    """A ModelForm whose model is a surveys.models.RuledModel: every rule of the set runs on every ruled field the
    form holds, including those left empty, so the form shows all errors at once."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        ruled = self.instance.rule_fields()
        return {name for name in exclude if not (name in ruled and name in self.fields and name not in self._errors)}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminArea) -> str:
        return f"{obj} · {obj.get_level_display()}"


class SiteSelect(forms.Select):
    """A site list whose options carry the site's facts, so a script can fill the survey form from a picked site."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        site = getattr(value, "instance", None)
        if site is not None:
            option["attrs"].update(site_facts(site))
        return option


def site_facts(site) -> dict:
    """What a picked site fills in on a survey form (as data attributes; the site search answers the same keys)."""
    return {
        "data-name": site.name, "data-site-type": site.site_type, "data-priority": site.priority,
        "data-classification": site.classification, "data-evidence": site.evidence,
        "data-area": site.estimated_area_m2,
    }


SITES_LISTED = 25
# The most sites a search answers (the server's, and the phone's in its copy of the sites).
SITES_FOUND = 30


class SitePickIterator(forms.models.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = getattr(field, "listed", None)
        if self.queryset is None:
            self.queryset = field.queryset.none()  # until narrow() says which sites to list


class SitePickField(forms.ModelChoiceField):
    """A choice of site among thousands without writing them all into the page: the options are the site picked, the
    matches of the site search (`site_q`) or else the team's SITES_LISTED most recently changed sites; any site of
    the full queryset is accepted. The page's search box asks surveys.views.site_search for more as one types; without
    JavaScript its Find button posts the form back, keeping what was typed, with the matches listed."""

    iterator = SitePickIterator
    search_limit = SITES_FOUND

    def narrow(self, picked: str | None, term: str) -> None:
        sites = self.queryset
        listed = search.sites(sites, term).order_by("name") if term else sites.order_by("-updated_at")
        ids = list(listed.values_list("pk", flat=True)[:SITES_LISTED])
        if picked and str(picked).isdigit():
            ids.append(int(picked))
        self.listed = sites.filter(pk__in=ids).order_by("name")
        self.widget.choices = self.choices


def _narrow_sites(form: forms.ModelForm) -> None:
    field = form.fields["site"]
    name = form.add_prefix("site")
    picked = form.data.get(name) if form.is_bound else (form.initial.get("site") or None)
    field.narrow(getattr(picked, "pk", picked), form.data.get("site_q", "") if form.is_bound else "")


# Report forms ----------------------------------------------------------------------------------------------------------

COMMON_FIELDS = [
    "uuid", "activity_date", "project", "admin_area", "place_name", "latitude", "longitude", "gps_accuracy_m",
    "polygon", "notes",
]


class ReportForm(RuledFormMixin, forms.ModelForm):
    """What every report form shares: when, where (with GPS and an optional outline), which grant, notes.

    `uuid` is the report's device UUID, made when the form is first shown (by the server, or by the page's script):
    a form posted twice finds the report the first post made instead of making another.
    """

    admin_area = AreaChoiceField(queryset=AdminArea.objects.all(), required=False,
                                label=_("Administrative area"))
    polygon = OutlineField(required=False, label=_("outline (GeoJSON)"))
    radio_fields: tuple[str, ...] = ()
    # Figures a worker may leave empty (empty means none), and figures that start empty on a new form rather than at
    # 0, which a worker on a phone would have to delete before typing.
    zero_if_empty: tuple[str, ...] = ()
    empty_when_new: tuple[str, ...] = ()

    class Meta:
        fields = COMMON_FIELDS
        formfield_callback = formfield
        widgets = {
            "uuid": forms.HiddenInput,
            "polygon": forms.HiddenInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"activity_date": _("Date of activity")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["uuid"].disabled = True
        else:
            # Set before validation, so the models' cross-field rules (same organisation...) see them.
            capture.assign_owner(self.instance, user)
            self.initial.setdefault("uuid", self.instance.uuid)
            self.initial.setdefault("activity_date", timezone.localdate())  # the page's script uses the phone's date
        self.fields["project"].queryset = capture.project_choices(user, self.instance)
        for name, message in capture.CHOICE_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = message
        follow_rules(self.fields, self._meta.model.KIND)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea) and isinstance(field, forms.CharField):
                # Free text may be typed in Arabic or English: each box takes the direction of what is typed in it.
                field.widget.attrs.setdefault("dir", "auto")
        for name in self.radio_fields:
            field = self.fields[name]
            field.widget = forms.RadioSelect()
            field.choices = [choice for choice in field.choices if choice[0] != ""]
        for name in self.zero_if_empty:
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = "0"
        if self.is_new:
            self.initial.update(dict.fromkeys((*self.zero_if_empty, *self.empty_when_new), ""))

    def clean(self):
        data = super().clean()
        for name in self.zero_if_empty:
            if name in data and data[name] is None:
                data[name] = 0
        return data

    def _post_clean(self):
        """As ModelForm's, with the capture service's derived values (site name, EORE total) filled in before the
        rules run on the report."""
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        capture.derive_defaults(self.instance)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            self._update_errors(exc)
        if self._validate_unique:
            self.validate_unique()  # a device UUID of someone else's report

    @property
    def is_new(self) -> bool:
        return not self.instance.pk


class SurveyForm(ReportForm):
    contamination = forms.MultipleChoiceField(
        label=_("Contamination types"), choices=EOCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    radio_fields = ("survey_type", "priority", "classification", "evidence")
    zero_if_empty = ("expected_beneficiaries",)
    empty_when_new = ("estimated_area_m2",)

    class Meta(ReportForm.Meta):
        model = SurveyReport
        fields = [
            *COMMON_FIELDS, "survey_type", "site", "site_name", "site_type", "priority", "classification", "evidence",
            "contamination", "estimated_area_m2", "blockage", "expected_beneficiaries",
        ]
        widgets = {**ReportForm.Meta.widgets, "site": SiteSelect}
        field_classes = {"site": SitePickField}
        help_texts = {"estimated_area_m2": ""}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        site = self.fields["site"]
        site.queryset = capture.site_choices(user)
        site.empty_label = _("— A new site —")
        _narrow_sites(self)


class ClearanceForm(ReportForm):
    radio_fields = ("stage", "method")
    zero_if_empty = ("cancelled_area_m2", "reduced_area_m2", "cleared_area_m2", "depth_cm")

    class Meta(ReportForm.Meta):
        model = ClearanceReport
        fields = [
            *COMMON_FIELDS, "site", "stage", "method", "start_date", "end_date", "cancelled_area_m2", "reduced_area_m2",
            "cleared_area_m2", "depth_cm", "handover_date", "handed_over_to", "handover_notes",
        ]
        widgets = {**ReportForm.Meta.widgets, "handover_notes": forms.Textarea(attrs={"rows": 2})}
        labels = {**ReportForm.Meta.labels, "activity_date": _("Date of report")}
        field_classes = {"site": SitePickField}
        help_texts = {"cancelled_area_m2": "", "reduced_area_m2": "", "cleared_area_m2": ""}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["site"].queryset = capture.site_choices(user)
        self.fields["site"].empty_label = _("— Choose the site —")
        _narrow_sites(self)


class ItemForm(RuledFormMixin, forms.ModelForm):
    """One line of explosive items; its errors show beside its own fields."""

    class Meta:
        model = ExplosiveItem
        fields = ["category", "quantity", "weight_kg", "disposal"]
        formfield_callback = formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        follow_rules(self.fields, ExplosiveItem.RULE_TYPE, ExplosiveItem.RULE_SCOPE)


class BaseItemFormSet(forms.BaseInlineFormSet):
    def total_form_count(self) -> int:
        """A post claiming more lines than absolute_max builds no blank line at all (Django would still build
        absolute_max of them, and the page would draw them): it is refused by full_clean's "at most" error."""
        if self.is_bound and self._claims_too_many():
            return min(self.initial_form_count(), self.absolute_max)
        return super().total_form_count()

    def _claims_too_many(self) -> bool:
        management = self.management_form  # bound: read from the post, without counting forms
        return management.is_valid() and management.cleaned_data["TOTAL_FORMS"] > self.absolute_max


# A hard limit on the lines: a post claiming 100,000 lines is refused at once.
ItemFormSet = forms.inlineformset_factory(
    ClearanceReport, ExplosiveItem, form=ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True,
    max_num=rules.ITEMS_MAX, absolute_max=rules.ITEMS_MAX, validate_max=True,
)


class EoreForm(ReportForm):
    radio_fields = ("delivery_method",)
    zero_if_empty = (*PARTICIPANT_FIELDS, "persons_with_disabilities", "first_time_attendees", "posters_qty",
                     "brochures_qty")
    empty_when_new = ("total_participants",)

    class Meta(ReportForm.Meta):
        model = EoreSession
        fields = [
            *COMMON_FIELDS, "place_type", "delivery_method", *PARTICIPANT_FIELDS,
            "total_participants", "persons_with_disabilities", "first_time_attendees", "posters_qty",
            "brochures_qty", "other_materials",
        ]
        labels = {**ReportForm.Meta.labels, "activity_date": _("Date of session")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in PARTICIPANT_FIELDS:
            self.fields[name].widget.attrs.update({"class": "form-control", "aria-label": self.fields[name].label})

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The participant counts as rows (age bands) of female and male cells."""
        return [(label, [self[f"{sex}_{band}"] for sex, _s in SEXES]) for band, label in AGE_BANDS]


REPORT_FORMS: dict[str, type[ReportForm]] = {"survey": SurveyForm, "clearance": ClearanceForm, "eore": EoreForm}


# Photos ----------------------------------------------------------------------------------------------------------------


class PhotoForm(forms.Form):
    """One photo as a file input sends it. The file is checked by surveys.photos, not by an ImageField."""

    image = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


PhotoSlotFormSet = forms.formset_factory(PhotoForm, extra=3)


class PendingPhotoForm(PhotoForm):
    """A photo the page's script downscaled on the phone, with the facts it read from the camera's EXIF."""

    form_uuid = forms.UUIDField()
    photo_id = forms.UUIDField(required=False)
    taken_at = forms.DateTimeField(required=False)
    latitude = FloatField(required=False, validators=[geo.validate_latitude])
    longitude = FloatField(required=False, validators=[geo.validate_longitude])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].required = True


class PhotoListForm(forms.Form):
    """Captions and removals for the photos already on a report form: stored ones and ones waiting for the report."""

    def __init__(self, *args, photos: list[Photo | PendingPhoto], **kwargs):
        super().__init__(*args, **kwargs)
        self.photos = photos
        if self.is_bound:
            # A photo that arrived with this very post has no caption field in it yet: it keeps its own caption.
            self.data = self.data.copy()
        for photo in photos:
            key = f"photo-{photo.pk}-caption"
            self.fields[key] = forms.CharField(label=_("Caption"), max_length=300, required=False,
                                               initial=photo.caption)
            self.fields[f"photo-{photo.pk}-remove"] = forms.BooleanField(label=_("Remove"), required=False)
            if self.is_bound and key not in self.data:
                self.data[key] = photo.caption

    def rows(self):
        for photo in self.photos:
            pending = isinstance(photo, PendingPhoto)
            url = reverse("pending_photo" if pending else "photo_thumbnail", args=[photo.pk])
            yield photo, url, self[f"photo-{photo.pk}-caption"], self[f"photo-{photo.pk}-remove"]

    def changes(self, pending: bool):
        """(photo, caption, remove) for each stored (or each pending) photo."""
        for photo in self.photos:
            if isinstance(photo, PendingPhoto) == pending:
                yield (photo, self.cleaned_data[f"photo-{photo.pk}-caption"],
                       self.cleaned_data[f"photo-{photo.pk}-remove"])
