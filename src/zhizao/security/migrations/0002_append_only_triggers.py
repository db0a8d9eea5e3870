"""The database refuses UPDATE and DELETE of security events (zhizao.security.triggers)."""

from django.db import migrations


def install(apps, schema_editor):
    from zhizao.security import triggers

    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    from zhizao.security import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
