"""Onboarding an operation from spreadsheets: organisations, teams, donors, grants, users and administrative areas.

One resource per record type (django-import-export), read from CSV or XLSX, in the admin (administrators only, by
surveys.access) or through `import_file` here. A file is imported whole or not at all: every row is checked (the
model's full_clean, each reference by its code), every problem is reported beside its row, and the transaction is
rolled back if any row has a problem. References are by code, never by database id, so a file written by hand or
exported from another instance imports as it reads: a team names its organisation by code, a user names their team.

Administrative areas come in the shape of OCHA's common operational datasets (COD-AB): one row per lowest unit,
with the ADM1_EN / ADM1_AR / ADM1_PCODE, ADM2_… and ADM3_… columns of every level above it. `before_import` turns
that into one row per area (parents first), so the usual row-by-row import applies.

New users get no password: an administrator hands each one a password-set link (`password_set_link`), printed on
the welcome sheet the admin shows after the import.
"""

from collections.abc import Iterable

import tablib
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result

from surveys.access import GROUP_NAMES
from surveys.models import AdminArea, Donor, Organisation, Project, Role, Team, User

FORMATS = [CSV, XLSX]
# Bigger files are refused before being read: an operation has thousands of sub-districts at most.
MAX_ROWS = 20_000
COD_LEVELS = (1, 2, 3)


class ByCode(widgets.ForeignKeyWidget):
    """A reference by code whose absence is a row error naming the code, not a traceback."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s with %(field)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from None


class Strict(resources.ModelResource):
    """What every onboarding resource shares: full_clean on each row, one transaction, no half-imported file."""

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        self._seen_keys: dict[tuple, int] = {}
        if len(dataset) > MAX_ROWS:
            dataset.wipe()  # not one row is read
            raise ValueError(_("A file may hold at most %(max)d rows.") % {"max": MAX_ROWS})
        # Spreadsheets pad cells with spaces and leave empty trailing rows behind.
        for i, row in enumerate(dataset):
            dataset[i] = tuple(v.strip() if isinstance(v, str) else ("" if v is None else v) for v in row)
        empty = [i for i, row in enumerate(dataset) if not any(str(v) for v in row)]
        for i in reversed(empty):
            del dataset[i]

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The same record twice in one file would silently become "create, then overwrite": refuse it.
        errors = dict(import_validation_errors or {})
        key = tuple(str(getattr(instance, name, "")) for name in self.get_import_id_fields())
        first = self._seen_keys.setdefault(key, self._row_number)
        if first != self._row_number:
            name = self.get_import_id_fields()[0]
            errors.setdefault(name, []).append(
                _("“%(value)s” appears twice in this file (rows %(first)d and %(row)d).")
                % {"value": ", ".join(key), "first": first, "row": self._row_number}
            )
        super().validate_instance(instance, errors, validate_unique)


class OrganisationResource(Strict):
    class Meta(Strict.Meta):
        model = Organisation
        import_id_fields = ["code"]
        fields = ["code", "name"]


class TeamResource(Strict):
    """Teams, and (with an `organisation_name` column) the new organisation they belong to, in the same file."""

    organisation = fields.Field("organisation", "organisation", ByCode(Organisation, "code"))

    class Meta(Strict.Meta):
        model = Team
        import_id_fields = ["code"]
        fields = ["code", "name", "organisation"]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        code, name = row.get("organisation"), row.get("organisation_name")
        if code and name and not Organisation.objects.filter(code=code).exists():
            organisation = Organisation(code=code, name=name)
            try:
                organisation.full_clean()
            except ValidationError as exc:
                raise ValueError(_("Organisation: %(errors)s") % {"errors": " ".join(exc.messages)}) from None
            organisation.save()


class DonorResource(Strict):
    class Meta(Strict.Meta):
        model = Donor
        import_id_fields = ["name"]
        fields = ["name"]


class ProjectResource(Strict):
    donor = fields.Field("donor", "donor", ByCode(Donor, "name"))
    organisation = fields.Field("organisation", "organisation", ByCode(Organisation, "code"))
    start_date = fields.Field("start_date", "start_date", widgets.DateWidget("%Y-%m-%d"))
    end_date = fields.Field("end_date", "end_date", widgets.DateWidget("%Y-%m-%d"))

    class Meta(Strict.Meta):
        model = Project
        import_id_fields = ["code"]
        fields = ["code", "name", "donor", "organisation", "start_date", "end_date"]


class RoleWidget(widgets.Widget):
    """A role by its code (collector, supervisor, donor, administrator) or its English name."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if not text:
            return None
        for r in Role:
            if text in (r.value, str(r.label).lower(), GROUP_NAMES[r].lower()):
                return r
        raise ValueError(
            _("Unknown role “%(value)s”: use one of %(roles)s.") % {"value": value, "roles": ", ".join(Role.values)}
        )

    def render(self, value, obj=None, **kwargs):
        return value or ""


class UserResource(Strict):
    """Users with their role (their group), organisation and team. Passwords never travel in a file."""

    organisation = fields.Field("organisation", "organisation", ByCode(Organisation, "code"))
    team = fields.Field("team", "team", ByCode(Team, "code"))
    role = fields.Field("_role", "role", RoleWidget())
    projects = fields.Field("projects", "projects", widgets.ManyToManyWidget(Project, separator=";", field="code"))

    class Meta(Strict.Meta):
        model = User
        import_id_fields = ["username"]
        fields = ["username", "first_name", "last_name", "email", "role", "organisation", "team", "projects",
                  "is_active"]
        skip_unchanged = False  # the role is not a model field: an unchanged row may still change its group

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "team").prefetch_related("groups", "projects")

    def dehydrate_role(self, user: User) -> str:
        names = {g.name for g in user.groups.all()}
        return next((r.value for r, name in GROUP_NAMES.items() if name in names), "")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # A team implies its organisation: a file need not repeat it, and a mismatch is refused by User.clean.
        if row.get("team") and not row.get("organisation"):
            team = Team.objects.filter(code=row["team"]).select_related("organisation").first()
            if team is not None:
                row["organisation"] = team.organisation.code

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.set_unusable_password()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            # The role is kept on `_role` until the user is saved: report it under its column's name.
            errors = {"role" if k == "_role" else k: v for k, v in exc.message_dict.items()}
        if "role" in row and not getattr(instance, "_role", None) and "role" not in errors:
            errors["role"] = [_("Every user needs a role.")]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Collectors, supervisors and administrators work in the review desk or the field app; donors only read.
        role = getattr(instance, "_role", None)
        if role is not None:
            instance.is_staff = role in (Role.COLLECTOR, Role.SUPERVISOR, Role.ADMINISTRATOR)

    def after_save_instance(self, instance, row, **kwargs):
        role = getattr(instance, "_role", None)
        if role is not None:
            instance.groups.set([Group.objects.get(name=GROUP_NAMES[role])])


class AdminAreaResource(Strict):
    """Administrative areas, read and written in the shape of OCHA's COD-AB tables (see the module docstring)."""

    parent_pcode = fields.Field("parent", "parent_pcode", ByCode(AdminArea, "pcode"))

    class Meta(Strict.Meta):
        model = AdminArea
        import_id_fields = ["pcode"]
        fields = ["pcode", "level", "name_en", "name_ar", "parent_pcode"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if any(h and h.upper().startswith("ADM") for h in dataset.headers or []):
            flat = cod_to_areas(dataset)
            dataset.wipe()
            dataset.headers = flat.headers
            for row in flat:
                dataset.append(row)

    def export(self, queryset=None, **kwargs):
        areas = list(AdminArea.objects.select_related("parent__parent") if queryset is None else queryset)
        return areas_to_cod(areas)


def cod_to_areas(cod: tablib.Dataset) -> tablib.Dataset:
    """One row per area (pcode, level, name_en, name_ar, parent_pcode, source_row), parents first, from COD rows.

    An area repeated on many rows (a governorate above each of its sub-districts) is kept once; `source_row` says on
    which row of the file it was first named, so a row error leads back to the spreadsheet.
    """
    headers = {h.upper(): h for h in cod.headers if h}
    areas: dict[str, tuple] = {}
    for number, row in enumerate(cod.dict, start=2):  # row 1 holds the headers, as the spreadsheet shows it
        upper = {k.upper(): v for k, v in row.items() if k}
        parent = ""
        for level in COD_LEVELS:
            if f"ADM{level}_PCODE" not in headers:
                break
            pcode = str(upper.get(f"ADM{level}_PCODE") or "").strip()
            if not pcode:
                break
            name_en = str(upper.get(f"ADM{level}_EN") or "").strip()
            name_ar = str(upper.get(f"ADM{level}_AR") or "").strip()
            areas.setdefault(pcode, (pcode, level, name_en, name_ar, parent, number))
            parent = pcode
    flat = tablib.Dataset(headers=["pcode", "level", "name_en", "name_ar", "parent_pcode", "source_row"])
    for area in sorted(areas.values(), key=lambda a: (a[1], a[5])):
        flat.append(area)
    return flat


def areas_to_cod(areas: Iterable[AdminArea]) -> tablib.Dataset:
    """The COD-AB shape: one row per area without children, with the columns of each level above it."""
    areas = list(areas)
    with_children = {a.parent_id for a in areas if a.parent_id}
    headers = [f"ADM{level}_{suffix}" for level in COD_LEVELS for suffix in ("EN", "AR", "PCODE")]
    data = tablib.Dataset(headers=headers)
    for area in sorted(areas, key=lambda a: a.pcode or ""):
        if area.pk in with_children:
            continue
        chain = []
        node = area
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        cells = []
        for level in COD_LEVELS:
            node = next((n for n in chain if n.level == level), None)
            cells += [node.name_en, node.name_ar, node.pcode or ""] if node else ["", "", ""]
        data.append(cells)
    return data


RESOURCES = {
    "organisations": OrganisationResource,
    "teams": TeamResource,
    "donors": DonorResource,
    "grants": ProjectResource,
    "users": UserResource,
    "admin_areas": AdminAreaResource,
}


def read_dataset(content: bytes, file_format: str) -> tablib.Dataset:
    """A CSV (UTF-8, with or without BOM, as Excel writes it) or XLSX file as a dataset."""
    if file_format == "xlsx":
        return XLSX().create_dataset(content)
    return CSV().create_dataset(content.decode("utf-8-sig"))


def import_file(kind: str, content: bytes, file_format: str, *, dry_run: bool) -> Result:
    """Import one file of `kind` whole or not at all. With dry_run, nothing is written either way.

    Returns the result with its row errors; when it has any, nothing was written.
    """
    resource = RESOURCES[kind]()
    dataset = read_dataset(content, file_format)
    with transaction.atomic():
        return resource.import_data(dataset, dry_run=dry_run, use_transactions=True,
                                    rollback_on_validation_errors=True)


def row_errors(result: Result) -> dict[int, list[str]]:
    """{row number: messages} of a result: validation errors by field, and any other error of a row or the file."""
    found: dict[int, list[str]] = {}
    for invalid in result.invalid_rows:
        for field, messages in invalid.error_dict.items():
            found.setdefault(invalid.number, []).extend(f"{field}: {m}" for m in messages)
    for number, errors in result.row_errors():
        found.setdefault(number, []).extend(str(e.error) for e in errors)
    for error in result.base_errors:
        found.setdefault(0, []).append(str(error.error))
    return found


def password_set_link(request, user: User) -> str:
    """A link with which a new user chooses their own password (valid for PASSWORD_RESET_TIMEOUT)."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    })
    return request.build_absolute_uri(path)
