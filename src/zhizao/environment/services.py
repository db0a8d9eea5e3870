"""Every change to environmental records (docs/decisions/0004-service-contract.md): checked
against the object's region, atomic, locked where it checks then acts, audited with the actor.
Classes and pass judgements are the engine's (``zhizao.indicators.water`` and
``zhizao.indicators.watersupply``), computed when the sample is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhizao.core.actors import acting_as, is_system_actor
from zhizao.core.models import Region, User
from zhizao.core.permissions import staff_regions
from zhizao.environment import evaluation, importing
from zhizao.environment.choices import ImportSource, SectionKind, TapKind
from zhizao.environment.models import (
    EffluentSample,
    Station,
    TapWaterSample,
    WaterSample,
    WaterSection,
)
from zhizao.indicators import water, watersupply
from zhizao.indicators.errors import IndicatorError


def can_manage(actor: Any, region: Region) -> bool:
    """Bureau staff of the region (or above) manage its records; so does the system actor
    (the demo loader, import jobs)."""
    return is_system_actor(actor) or staff_regions(actor).filter(pk=region.pk).exists()


def _require(actor: Any, region: Region, message: str) -> None:
    if not can_manage(actor, region):
        raise PermissionDenied(message)


# --- Air --------------------------------------------------------------------------------------


def create_station(actor: User, **fields: Any) -> Station:
    """Register a monitoring station: bureau staff of its district (or above)."""
    region = fields["region"]
    _require(actor, region, _("Only bureau staff of the station's district may register it."))
    station = Station(**fields)
    station.full_clean()
    with transaction.atomic(), acting_as(actor):
        station.save()
    return station


def import_air_hours(
    actor: User,
    file: Any,
    *,
    file_name: str,
    hour_label: str = "end",
    source: str = ImportSource.UPLOAD,
    synthetic: bool = False,
) -> importing.ImportOutcome:
    """Import hourly air data (CSV/XLSX, the national platform's layout), all or nothing.

    The file is checked whole outside any transaction; a refused file saves nothing and lists
    every bad row. The actor must be bureau staff of every station's district. Hours already
    stored that the file contains are replaced (their old values kept as revisions); the cities'
    daily results are refreshed by the engine in the same transaction."""
    if hour_label not in ("start", "end"):
        raise ValidationError({"hour_label": [_("The hour label is start or end.")]})
    state, spool, sha, station_ids = importing.check_file(
        file, file_name=file_name, hour_label=hour_label
    )
    if spool is None:
        return importing.ImportOutcome(False, state.rows, errors=state.errors)
    try:
        stations = list(Station.objects.filter(pk__in=station_ids).select_related("region"))
        refused = [s.code for s in stations if not can_manage(actor, s.region)]
        if refused:
            raise PermissionDenied(
                _("Only bureau staff of the stations' districts may import their hours: %(codes)s.")
                % {"codes": ", ".join(refused)}
            )
        with transaction.atomic(), acting_as(actor):
            # Lock the stations: two imports of the same stations' hours run one after the other.
            list(Station.objects.select_for_update().filter(pk__in=station_ids).order_by("pk"))
            batch, replaced = importing.write_checked(
                actor,
                state,
                spool,
                file_name=file_name,
                sha=sha,
                source=source,
                synthetic=synthetic,
                hour_label=hour_label,
            )
            # The station-days the file touches, from its hours in memory (days it covers in
            # part read back), then the cities' days from their stations' days.
            touched = evaluation.store_station_days(spool, synthetic)
            for city in evaluation.cities_of(station_ids):
                years = set().union(*(touched[s] for s in station_ids if s in touched))
                evaluation.refresh_city_days(city, years)
    finally:
        spool.close()
    evaluation.clear_cache()
    return importing.ImportOutcome(True, state.rows, replaced, batch=batch)


# --- Water ------------------------------------------------------------------------------------


def _values(raw: Mapping[str, Any]) -> dict[str, str]:
    """Item values as decimal strings (exact for the engine); empty values are left out."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[key] = [_("This is not a number.")]
            continue
        if number < 0 or not number.is_finite():
            errors[key] = [_("A concentration cannot be negative.")]
            continue
        cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError({"values": [_("Give at least one item's value.")]})
    return cleaned


def _engine(call: Any) -> Any:
    try:
        return call()
    except IndicatorError as error:
        raise ValidationError({"values": [str(error)]}) from error


def create_section(actor: User, **fields: Any) -> WaterSection:
    _require(actor, fields["region"], _("Only bureau staff of the section's region may add it."))
    section = WaterSection(**fields)
    section.full_clean()
    with transaction.atomic(), acting_as(actor):
        section.save()
    return section


def record_water_sample(
    actor: User,
    section: WaterSection,
    sampled_on: dt.date,
    values: Mapping[str, Any],
    *,
    synthetic: bool = False,
) -> WaterSample:
    """Record a section's sample; GB 3838 class (and, at a drinking-water source, the Table 2
    supplementary items) by the engine. A sample of the same section and day is replaced."""
    _require(actor, section.region, _("Only bureau staff of the section's region may record it."))
    cleaned = _values(values)
    basic = {k: v for k, v in cleaned.items() if k not in watersupply.GB3838_SUPPLEMENTARY}
    supplementary = {
        k: float(v) for k, v in cleaned.items() if k in watersupply.GB3838_SUPPLEMENTARY
    }
    result = _engine(
        lambda: water.evaluate_sample(
            basic,
            lake=section.is_lake,
            target=section.target_class,
            report_separately=water.SEPARATELY_REPORTED,
        )
    )
    if result.water_class is None:
        raise ValidationError({"values": [_("No GB 3838 basic item to classify the sample by.")]})
    passes = None
    if section.kind == SectionKind.DRINKING_SOURCE and supplementary:
        passes = _engine(lambda: watersupply.judge(supplementary, "gb3838_supplementary")).passes
    with transaction.atomic(), acting_as(actor):
        locked = WaterSection.objects.select_for_update().get(pk=section.pk)
        sample, _created = WaterSample.objects.update_or_create(
            section=locked,
            sampled_on=sampled_on,
            defaults={
                "values": cleaned,
                "water_class": int(result.water_class),
                "determined_by": result.determined_by,
                "exceeding": dict(result.exceeding.items()),
                "supplementary_pass": passes,
                "is_synthetic": synthetic,
            },
        )
    return sample


def record_tap_sample(
    actor: User,
    *,
    site: str,
    kind: str,
    region: Region,
    sampled_on: dt.date,
    values: Mapping[str, Any],
    synthetic: bool = False,
) -> TapWaterSample:
    """A tap-water sample judged against GB 5749-2022's routine items by the engine."""
    _require(actor, region, _("Only bureau staff of the region may record tap-water samples."))
    if kind not in TapKind.values:
        raise ValidationError({"kind": [_("Choose treated or network water.")]})
    cleaned = {k: float(v) for k, v in _values(values).items()}
    judged = _engine(lambda: watersupply.judge(cleaned, "gb5749", kind=kind))
    sample = TapWaterSample(
        site=site,
        kind=kind,
        region=region,
        sampled_on=sampled_on,
        values={k: str(v) for k, v in cleaned.items()},
        passes=judged.passes,
        failing=judged.failing,
        items_judged=judged.judged,
        is_synthetic=synthetic,
    )
    sample.full_clean()
    with transaction.atomic(), acting_as(actor):
        sample.save()
    return sample


def record_effluent_sample(
    actor: User,
    *,
    plant: str,
    region: Region,
    sampled_on: dt.date,
    values: Mapping[str, Any],
    cold: bool = False,
    synthetic: bool = False,
) -> EffluentSample:
    """A sewage-treatment plant's effluent sample against GB 18918-2002 class 1-A."""
    _require(actor, region, _("Only bureau staff of the region may record effluent samples."))
    cleaned = {k: float(v) for k, v in _values(values).items()}
    judged = _engine(lambda: watersupply.judge(cleaned, "gb18918_1a", cold=cold))
    sample = EffluentSample(
        plant=plant,
        region=region,
        sampled_on=sampled_on,
        values={k: str(v) for k, v in cleaned.items()},
        passes=judged.passes,
        failing=judged.failing,
        is_synthetic=synthetic,
    )
    sample.full_clean()
    with transaction.atomic(), acting_as(actor):
        sample.save()
    return sample
