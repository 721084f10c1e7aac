"""Every TOTP device accepts a code only in its own 30-second step (tolerance 0): a code read off
a phone a minute ago, or seen over a shoulder, is refused. New devices are created so
(accounts.services); this updates the ones enrolled before."""

from django.db import migrations


def no_tolerance(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.exclude(tolerance=0).update(tolerance=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_administration_permissions"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(no_tolerance, migrations.RunPython.noop)]
