"""Data: every standardization reward grant of the registry becomes a grant of the fund ledger
(issue 15: one ledger). Each ``RewardGrant`` (a payment) is adopted as a ``funds.FundGrant`` of
its payer's standardization-reward programme of the payment's year, with ``source_ref``
``nqi.rewardgrant:<id>`` and one ``FundPayment`` (voucher: its payment reference, or
``nqi-<id>``), and the reward grant keeps a link to it. A programme missing for a payer and
year is opened with a budget of that year's grants; an existing one whose budget left is too
small is raised to fit, so the ledger's limits hold.

Backwards: the amounts, recipients, payers, dates and references are copied back from the
ledger and the adopted grants, their payments and the programmes this migration opened are
deleted."""

from decimal import Decimal

from django.db import migrations
from django.db.models import F

KIND = "standardization_reward"
PREFIX = "nqi.rewardgrant:"
OPENED_RULES = "由质量基础设施登记的标准化奖励拨付记录迁入（nqi reward grants adopted by migration）。"
LEVELS = {"province": "provincial", "city": "city", "district": "district", "park": "district"}


def _city_of(Region, region):
    ids = [int(pk) for pk in region.path.strip("/").split("/") if pk]
    cities = {r.pk: r for r in Region.objects.filter(pk__in=ids, level="city")}
    for pk in reversed(ids):
        if pk in cities:
            return cities[pk]
    return region


def forwards(apps, schema_editor):
    RewardGrant = apps.get_model("nqi", "RewardGrant")
    FundProgramme = apps.get_model("funds", "FundProgramme")
    FundGrant = apps.get_model("funds", "FundGrant")
    FundPayment = apps.get_model("funds", "FundPayment")
    Region = apps.get_model("core", "Region")
    rows = list(
        RewardGrant.objects.filter(ledger_grant__isnull=True)
        .select_related("payer", "recipient__region")
        .order_by("paid_on", "pk")
    )
    for row in rows:
        year = row.paid_on.year
        programme = (
            FundProgramme.objects.filter(kind=KIND, region=row.payer, year=year).order_by("pk").first()
        )
        if programme is None:
            same = [r for r in rows if r.payer_id == row.payer_id and r.paid_on.year == year]
            programme = FundProgramme.objects.create(
                code=f"{row.payer.code or row.payer.pk}-standardization-reward-{year}",
                kind=KIND,
                level=LEVELS.get(row.payer.level, "district"),
                year=year,
                name=f"{year}年{row.payer.name}标准化奖励资金",
                name_en=f"{row.payer.name_en or row.payer.name} standardization reward {year}",
                region=row.payer,
                authority=f"{row.payer.name}人民政府",
                rules=OPENED_RULES,
                budget=sum((r.amount for r in same), Decimal("0.00")),
                is_synthetic=all(r.is_synthetic for r in same),
                created_by_id=row.created_by_id,
            )
        left = programme.budget - programme.granted_total
        if row.amount > left:
            FundProgramme.objects.filter(pk=programme.pk).update(
                budget=F("granted_total") + row.amount
            )
        grant = FundGrant.objects.create(
            programme=programme,
            organization=row.recipient,
            city=_city_of(Region, row.recipient.region),
            amount=row.amount,
            paid_total=row.amount,
            granted_on=row.paid_on,
            source_ref=f"{PREFIX}{row.pk}",
            note=row.reason[:300],
            is_synthetic=row.is_synthetic,
            created_by_id=row.created_by_id,
        )
        FundPayment.objects.create(
            grant=grant,
            amount=row.amount,
            paid_on=row.paid_on,
            voucher=(row.reference or f"nqi-{row.pk}")[:64],
            is_synthetic=row.is_synthetic,
            created_by_id=row.created_by_id,
        )
        FundProgramme.objects.filter(pk=programme.pk).update(
            granted_total=F("granted_total") + row.amount
        )
        RewardGrant.objects.filter(pk=row.pk).update(ledger_grant=grant)


def backwards(apps, schema_editor):
    RewardGrant = apps.get_model("nqi", "RewardGrant")
    FundProgramme = apps.get_model("funds", "FundProgramme")
    FundGrant = apps.get_model("funds", "FundGrant")
    FundPayment = apps.get_model("funds", "FundPayment")
    for row in RewardGrant.objects.filter(ledger_grant__isnull=False).select_related(
        "ledger_grant__programme"
    ):
        grant = row.ledger_grant
        payment = FundPayment.objects.filter(grant=grant).order_by("paid_on", "pk").first()
        RewardGrant.objects.filter(pk=row.pk).update(
            payer_id=grant.programme.region_id,
            recipient_id=grant.organization_id,
            amount=grant.amount,
            paid_on=payment.paid_on if payment is not None else grant.granted_on,
            reference=(
                payment.voucher
                if payment is not None and payment.voucher != f"nqi-{row.pk}"
                else ""
            )[:100],
            ledger_grant=None,
        )
        FundPayment.objects.filter(grant=grant).delete()
        FundProgramme.objects.filter(pk=grant.programme_id).update(
            granted_total=F("granted_total") - grant.amount
        )
        FundGrant.objects.filter(pk=grant.pk).delete()
    FundProgramme.objects.filter(rules=OPENED_RULES, grants__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("nqi", "0004_reward_grant_ledger_link"),
        ("funds", "0002_grant_made_message"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
