"""The pick lists sent with each form as media files (CSV, for select_one_from_file): the worker's own capture sites,
the administrative areas of their operation, and their organisation's grants. Each list is the user's: Collect
downloads a file again when its hash in the manifest changes, so a new site reaches the phones at their next
"Get blank form" or form update."""

import csv
import io

from surveys import access


def _csv(rows: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label"])
    writer.writerows(rows)
    return out.getvalue().encode()


def sites_csv(user) -> bytes:
    sites = access.capture_sites(user).order_by("name", "pk").only("pk", "name", "reference")
    return _csv([(str(site.pk), f"{site.name} ({site.reference})" if site.reference else site.name) for site in sites])


def admin_areas_csv(user) -> bytes:
    """Every area with its English and Arabic names in one label (a CSV pick list has one label column), children
    after their governorate."""
    areas = access.capture_admin_areas(user).select_related("parent__parent").order_by("level", "name_en")
    rows = []
    for area in areas:
        names = " – ".join(n for n in (area.name_en, area.name_ar) if n)
        parent = area.parent.name_en if area.parent_id else ""
        rows.append((str(area.pk), f"{names} ({parent})" if parent else names))
    return _csv(rows)


def grants_csv(user) -> bytes:
    grants = access.selectable_projects(user).order_by("code")
    return _csv([(str(grant.pk), f"{grant.code} – {grant.name}") for grant in grants])


FILES = {"sites.csv": sites_csv, "admin_areas.csv": admin_areas_csv, "grants.csv": grants_csv}


def media_file(user, name: str) -> bytes:
    return FILES[name](user)
