"""``zhizao bootstrap-admins``: create the system, security and audit administrators of an
empty install (三员分立), each with a one-time password printed once and expired at once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhizao.security.services import bootstrap_administrators


class Command(BaseCommand):
    help = "Create the three administrators (system, security, audit) of an empty install."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = bootstrap_administrators()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write("administrators created; each must change the password at first login")
        self.stdout.write("(三员已创建；首次登录须修改密码):")
        for user, password in made:
            self.stdout.write(f"  {user.username:<10} {user.role:<15} {password}")
