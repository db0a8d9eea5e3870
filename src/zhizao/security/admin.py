"""The security log is not in the Django admin: it is read on the audit administrator's page
(``security:events``) and nowhere else, so the superuser of an install's first day cannot read it
either (三员分立, docs/security.md). Its rows cannot be changed or deleted anywhere."""
