"""``zhizao createuser USERNAME --role ROLE``."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.core import services
from zhizao.core.choices import Role
from zhizao.core.models import Organization, Region


class Command(BaseCommand):
    help = "Create a login with a role; optionally issue an API token for it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[*Role.values, "superuser"])
        parser.add_argument("--region", help="GB/T 2260 code of the region (bureau staff)")
        parser.add_argument("--organization", help="unified social credit code of the organization")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="password (prompted for when omitted)")
        parser.add_argument("--no-password", action="store_true", help="API-only account")
        parser.add_argument("--token", action="store_true", help="also issue an API token")

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"unknown region code {options['region']} (未知区划代码)")
        organization = None
        if options["organization"]:
            organization = Organization.objects.filter(credit_code=options["organization"]).first()
            if organization is None:
                raise CommandError(
                    f"no organization with credit code {options['organization']} (未找到该组织)"
                )
        password = options["password"]
        if password is None and not options["no_password"]:
            password = getpass.getpass("Password: ")
        superuser = options["role"] == "superuser"
        try:
            user = services.create_user(
                username=options["username"],
                password=password,
                role="" if superuser else options["role"],
                region=region,
                organization=organization,
                email=options["email"],
                is_superuser=superuser,
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from None
        self.stdout.write(f"created {user.username} ({options['role']})")
        if options["token"]:
            raw = services.issue_api_token(user, user, "cli")
            self.stdout.write(f"API token (shown once): {raw}")
