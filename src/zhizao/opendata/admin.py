"""Nothing to administer: the app owns no records (see ``models.py``). Snapshots and
publications are in the reports app's admin."""
