"""Recompute the roll-ups of the approved figures from the reports (after a bulk load, or after an administrator
changed a grant's donor or an area's parent, which the roll-ups copy)."""

from django.core.management.base import BaseCommand

from surveys import rollups


class Command(BaseCommand):
    help = "Recompute the roll-ups of the approved figures (indicators) from the approved reports."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Only compare the stored roll-ups with a recomputation; exit 1 if they differ.")

    def handle(self, *args, check: bool = False, **options):
        if check:
            expected, actual = rollups.recompute(), rollups.stored()
            differing = [m.__name__ for m in rollups.ROLLUPS if dict(expected.get(m, {})) != actual.get(m, {})]
            if rollups.stored_site_counters() != rollups.site_counters():
                differing.append("Site.approved_*")
            if differing:
                self.stderr.write(f"Roll-ups differ from the reports: {', '.join(differing)}")
                raise SystemExit(1)
            self.stdout.write("Roll-ups equal a recomputation from the reports.")
            return
        for name, count in rollups.rebuild().items():
            self.stdout.write(f"{name}: {count} cells")
