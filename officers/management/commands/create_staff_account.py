import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from officers.models import Rank
from officers.services import staff_account_create
from portal import audit
from territory.models import PoliceUnit

STAFF_ROLES = [role for role in User.Role.values if role != User.Role.RESIDENT]


class Command(BaseCommand):
    help = (
        "Create a police or operator account (residents sign themselves up). Police roles need "
        "--nrp, --rank and --unit (the unit's code, e.g. POLSEK-32.04.05)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True, choices=STAFF_ROLES)
        parser.add_argument("--nrp", default="")
        parser.add_argument("--rank", default="", choices=["", *Rank.values])
        parser.add_argument("--unit", default="", help="Code of the police unit.")
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--password",
            default=None,
            help="Without it you are asked; with --no-input the account gets no password and "
            "its holder sets one through 'forgot password'.",
        )

    def handle(self, *args, **options):
        unit = None
        if options["unit"]:
            unit = PoliceUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No police unit has the code {options['unit']!r}.")
        password = options["password"]
        if password is None and not options["no_input"]:
            if not sys.stdin.isatty():
                raise CommandError(
                    "No terminal to ask for a password: give --password, or --no-input for an "
                    "account whose holder sets one through 'forgot password'."
                )
            password = getpass.getpass("Password: ") or None
        if password is not None:
            # The same rules as the administration's form and the sign-up.
            try:
                password_validation.validate_password(
                    password, User(email=options["email"], name=options["name"])
                )
            except ValidationError as error:
                raise CommandError("Password: " + " ".join(error.messages)) from error
        try:
            with transaction.atomic():
                user = staff_account_create(
                    actor=None,
                    email=options["email"],
                    name=options["name"],
                    role=options["role"],
                    password=password,
                    nrp=options["nrp"],
                    rank=options["rank"],
                    unit=unit,
                    phone=options["phone"],
                )
                # No actor: the server's administrator at a shell.
                audit.record(
                    actor=None,
                    action=audit.Action.ROLE_CHANGED,
                    target=user,
                    from_role=None,
                    to_role=user.role,
                    account_created=True,
                    via="create_staff_account",
                )
        except ValidationError as error:
            raise CommandError("; ".join(_flatten(error))) from error
        self.stdout.write(self.style.SUCCESS(f"Created {user.get_role_display()} {user.email}."))

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--no-input", action="store_true", dest="no_input")
        return parser


def _flatten(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return error.messages
