from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo elections ccm-kz-2024 and kg-local-2016 with a user for every role. Idempotent."

    def handle(self, *args, **options):
        users = load_demo()
        self.stdout.write("Demo data ready: elections ccm-kz-2024 and kg-local-2016.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for spec in users:
            self.stdout.write(f"  {spec.email:<28} {spec.role_label}")
