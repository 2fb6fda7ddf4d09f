"""A submitted instance, read and handed to the capture path the other doors use.

Reading (`parse`): the XML is parsed with defusedxml (no DTD, no entities: an XML bomb is refused, not expanded), and
only the questions the form asks are read: the geopoint becomes latitude, longitude and GPS accuracy, the geoshape a
GeoJSON Polygon, the items repeat the item lines, the photos repeat the names of the photos to expect.

Storing (`receive`), in this order:
- the instanceID seen before: the same XML is a resend (any photo it brings that is not stored yet joins the report:
  Collect splits a large submission into several POSTs that repeat the XML); different XML is a conflict;
- a deprecatedID (an instance edited on the phone) whose instance was received: that report is updated if its author
  may still edit it (a draft or returned report), else it is a conflict; a deprecatedID never received is a new report;
- otherwise a new report whose device UUID is the instanceID.
The report's values go through the rule set first (every broken rule is refused with its message, nothing is stored),
then through the capture path of the form door (surveys.capture.save_report), which submits it. Photos are checked and
stored by surveys.capture/surveys.photos under ids derived from the report and the file name, so each is stored once;
`photos_expected` is the number of photos the instance names, so a report whose photos are still on their way waits
for them in the review queue.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from surveys import access, capture, photos, rules
from surveys.forms import REPORT_FORMS, ItemFormSet, PhotoListForm
from surveys.models import ExplosiveItem, OpenRosaInstance, Report
from surveys.openrosa import xforms

MAX_XML_BYTES = 1_000_000
MAX_REPEATS = rules.ITEMS_MAX


class Refused(Exception):
    """A submission refused with a message for the field worker and an HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Instance:
    kind: str
    form_version: str
    instance_id: uuid.UUID
    deprecated_id: uuid.UUID | None
    data: dict
    items: list[dict] | None
    photo_names: list[tuple[str, str]]  # (file name, caption)
    xml: str
    sha256: str = ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _uuid(text: str | None) -> uuid.UUID | None:
    if not text:
        return None
    try:
        return uuid.UUID(text.strip().removeprefix("uuid:"))
    except ValueError:
        raise Refused(_("The form's instance ID is not valid. Send it again from an up-to-date app.")) from None


def parse(content: bytes) -> Instance:
    """The instance in `content` (the xml_submission_file), or Refused (400) with a message for the worker."""
    if len(content) > MAX_XML_BYTES:
        raise Refused(_("This form is too large to be received."), 413)
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise Refused(_("The form could not be read. Send it again; if it fails again, tell your supervisor.")) \
            from None
    kind = xforms.KINDS.get(root.get("id", ""))
    if kind is None:
        raise Refused(_("This form is not one of this server's. Get the blank forms again."))
    meta = {}
    data: dict = {}
    items: list[dict] | None = [] if kind == "clearance" else None
    photo_names = []
    asked = set(xforms.QUESTIONS[kind]) | set(xforms.TAIL) | {"items_found"}
    for child in root:
        name = _local(child.tag)
        if name == "meta":
            meta = {_local(e.tag): (e.text or "").strip() for e in child}
        elif name == "items" and items is not None:
            if len(items) >= MAX_REPEATS:
                raise Refused(_("Too many item lines: at most %(max)d.") % {"max": MAX_REPEATS})
            items.append({_local(e.tag): (e.text or "").strip() for e in child
                          if _local(e.tag) in xforms.ITEM_QUESTIONS})
        elif name == "photos":
            values = {_local(e.tag): (e.text or "").strip() for e in child}
            if values.get("photo"):
                photo_names.append((values["photo"], values.get("caption", "")))
            if len(photo_names) > rules.PHOTOS_EXPECTED_MAX:
                raise Refused(_("Too many photos: at most %(max)d.") % {"max": rules.PHOTOS_EXPECTED_MAX})
        elif name in asked and len(child) == 0:
            data[name] = (child.text or "").strip()
    if kind == "clearance" and data.pop("items_found", "") != "yes":
        items = []
    instance_id = _uuid(meta.get("instanceID"))
    if instance_id is None:
        raise Refused(_("The form has no instance ID. Send it again from an up-to-date app."))
    _point(data)
    _outline(data)
    if kind == "survey":
        data["contamination"] = data.get("contamination", "").split()
    return Instance(kind=kind, form_version=root.get("version", "")[:40], instance_id=instance_id,
                    deprecated_id=_uuid(meta.get("deprecatedID")), data=data, items=items,
                    photo_names=photo_names, xml=content.decode("utf-8", "replace"),
                    sha256=hashlib.sha256(content).hexdigest())


def _point(data: dict) -> None:
    """A geopoint ("lat lon altitude accuracy") into the report's latitude, longitude and GPS accuracy."""
    text = data.pop("location", "")
    if not text:
        return
    parts = text.split()
    if len(parts) < 2:
        data["latitude"] = text  # the rule set names what is wrong with it
        return
    data["latitude"], data["longitude"] = parts[0], parts[1]
    if len(parts) >= 4:
        data["gps_accuracy_m"] = parts[3]


def _outline(data: dict) -> None:
    """A geoshape ("lat lon alt acc;…", first point repeated last) into a GeoJSON Polygon ([lon, lat] positions)."""
    text = data.pop("polygon", "")
    if not text:
        return
    ring = []
    for point in text.split(";"):
        parts = point.split()
        try:
            ring.append([float(parts[1]), float(parts[0])])
        except (IndexError, ValueError):
            data["polygon"] = text  # not a shape: the outline rule refuses it
            return
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    data["polygon"] = {"type": "Polygon", "coordinates": [ring]}


# Storing --------------------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    report: Report
    created: bool  # a new report
    photos_added: int
    updated: bool = False  # an edited instance changed a stored report


def receive(user, instance: Instance, files: dict) -> Outcome:
    """Store a parsed instance for `user` (see the module docstring). Raises Refused with the worker's message."""
    if not access.can_create_report(user):
        raise Refused(_("Your account is not in a field team, so it cannot send reports. Ask your administrator."),
                      403)
    known = OpenRosaInstance.objects.filter(pk=instance.instance_id).select_related("report").first()
    if known is not None:
        return _resent(user, known, instance, files)
    report = None
    if instance.deprecated_id is not None:
        earlier = OpenRosaInstance.objects.filter(pk=instance.deprecated_id).select_related("report").first()
        if earlier is not None:
            report = earlier.report.specific
            if not access.can_edit_report(user, report):
                raise Refused(_("%(ref)s is already with your supervisor and can no longer be changed from the "
                                "phone.") % {"ref": report.reference}, 409)
    if report is None and Report.objects.filter(uuid=instance.instance_id).exists():
        raise Refused(_("A report with this instance ID was already received from another app."), 409)
    try:
        with transaction.atomic():
            return _store(user, instance, report, files)
    except IntegrityError:
        # The same instance arrived twice at once (Collect retrying a slow POST): the other request stored it.
        known = OpenRosaInstance.objects.filter(pk=instance.instance_id).select_related("report").first()
        if known is None:
            raise
        return _resent(user, known, instance, files)


def _resent(user, known: OpenRosaInstance, instance: Instance, files: dict) -> Outcome:
    if known.sha256 != instance.sha256 or known.submitted_by_id != user.pk:
        raise Refused(_("A different form with the same instance ID was already received. Nothing was changed."),
                      409)
    report = known.report.specific
    added = _add_photos(user, report, instance, files)
    return Outcome(report, created=False, photos_added=added)


def _photo_id(report_uuid: uuid.UUID, filename: str) -> uuid.UUID:
    return uuid.uuid5(report_uuid, f"openrosa:{filename}")


def _uploads(instance: Instance, files: dict):
    """(upload, file name, caption) of each attached file that the instance names as a photo."""
    for filename, caption in instance.photo_names:
        upload = files.get(filename)
        if upload is not None:
            yield upload, filename, caption


def _add_photos(user, report: Report, instance: Instance, files: dict) -> int:
    """Photos for a report already stored: those not stored yet, while its author may still add them."""
    added = 0
    for upload, filename, caption in _uploads(instance, files):
        if not access.can_add_photo(user, report):
            break
        try:
            _photo, created = photos.add_photo(report, upload, user, photo_id=_photo_id(report.uuid, filename),
                                               caption=caption)
        except ValidationError as exc:
            raise Refused(_("The photo %(name)s was refused: %(why)s")
                          % {"name": filename, "why": " ".join(exc.messages)}) from None
        added += created
    return added


def _store(user, instance: Instance, report: Report | None, files: dict) -> Outcome:
    kind = instance.kind
    errors = rules.check_raw(kind, instance.data, instance.items)
    if errors:
        raise Refused(_describe(kind, errors))
    report_uuid = report.uuid if report is not None else instance.instance_id
    post = _as_post(kind, instance, report)
    form = REPORT_FORMS[kind](post, instance=report, user=user)
    items = ItemFormSet(post, instance=report, prefix="items") if kind == "clearance" else None
    if not all([form.is_valid(), items is None or items.is_valid()]):
        raise Refused(_describe_form(form, items))
    held = 0
    for upload, filename, caption in _uploads(instance, files):
        try:
            capture.hold_photo(user, report_uuid, upload, photo_id=_photo_id(report_uuid, filename), caption=caption)
        except ValidationError as exc:
            raise Refused(_("The photo %(name)s was refused: %(why)s")
                          % {"name": filename, "why": " ".join(exc.messages)}) from None
        held += 1
    photo_list = PhotoListForm(post, photos=capture.photos_on_form(user, report, report_uuid))
    photo_list.is_valid()  # captions of photos already stored are not in the post: they keep their own
    form.instance.photos_expected = len(instance.photo_names)
    saved, problems = capture.save_report(form, items, photo_list, user, submit=True)
    if problems:
        raise Refused(" ".join(problems))
    OpenRosaInstance.objects.create(
        instance_id=instance.instance_id, report=saved, deprecated_id=instance.deprecated_id,
        form_version=instance.form_version, sha256=instance.sha256, xml=instance.xml, submitted_by=user,
    )
    return Outcome(saved, created=report is None, photos_added=held, updated=report is not None)


def _as_post(kind: str, instance: Instance, report: Report | None) -> QueryDict:
    """The instance as the form door's POST: the same fields, the item lines as its formset (replacing any stored)."""
    post = QueryDict(mutable=True)
    for name, value in instance.data.items():
        if isinstance(value, list):
            post.setlist(name, value)
        elif isinstance(value, dict):
            post[name] = json.dumps(value)
        else:
            post[name] = value
    if report is None:
        post["uuid"] = str(instance.instance_id)
    if kind == "clearance":
        stored = list(report.items.all()) if report is not None else []
        lines = instance.items or []
        post.update({"items-TOTAL_FORMS": str(len(stored) + len(lines)), "items-INITIAL_FORMS": str(len(stored)),
                     "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"})
        for i, item in enumerate(stored):
            # A line being deleted keeps its values: its history row records them.
            post.update({f"items-{i}-id": str(item.pk), f"items-{i}-DELETE": "on",
                         **{f"items-{i}-{name}": str(getattr(item, name)) for name in xforms.ITEM_QUESTIONS}})
        for i, line in enumerate(lines, start=len(stored)):
            for name in xforms.ITEM_QUESTIONS:
                post[f"items-{i}-{name}"] = line.get(name, "")
    return post


def _label(kind: str, name: str, scope: str = "report") -> str:
    model = ExplosiveItem if scope == "item" else xforms.MODELS[kind]
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a path that is not a field (__all__)
        return ""
    return label[:1].upper() + label[1:]


def _describe(kind: str, errors: dict[str, list[str]]) -> str:
    """Every broken rule, one per line, each after the question it is about ("Cleared area (m²): Enter …")."""
    lines = []
    for path, messages in errors.items():
        if path.startswith("items."):
            _items, index, name = path.split(".", 2)
            where = _("Item %(n)s – %(field)s") % {"n": int(index) + 1, "field": _label(kind, name, "item")}
        else:
            where = _label(kind, path)
        lines += [f"{where}: {m}" if where else m for m in messages]
    return "\n".join(lines)


def _describe_form(form, items) -> str:
    errors: dict[str, list[str]] = {name: list(messages) for name, messages in form.errors.items()}
    if items is not None:
        for index, line_errors in enumerate(items.errors):
            for name, messages in line_errors.items():
                errors[f"items.{index}.{name}"] = list(messages)
        errors.update({"__all__": list(items.non_form_errors())} if items.non_form_errors() else {})
    return _describe(form._meta.model.KIND, errors)
