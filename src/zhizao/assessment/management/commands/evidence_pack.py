"""``zhizao evidence-pack --city 株洲市 --year 2021 -o pack.zip``: the evidence pack of a
region's assessment for a year, as one ZIP (docs/assessment.md). Opens the assessment first
(against the year's template, reading the published or latest snapshot) when there is none."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhizao.assessment import pack, services
from zhizao.assessment.models import Assessment, AssessmentTemplate
from zhizao.core import figures
from zhizao.core.actors import system_actor


class Command(BaseCommand):
    help = "Write the evidence pack (ZIP) of a region's provincial assessment for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--city", required=True, help="region name or GB/T 2260 code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("-o", "--output", required=True, help="the ZIP file to write")
        parser.add_argument("--template", help="the template's name (default: the year's only one)")

    def handle(self, *args: Any, **options: Any) -> None:
        region = figures.find_region(options["city"])
        if region is None:
            raise CommandError(f"unknown region {options['city']!r} (未知行政区划)")
        year = options["year"]
        templates = AssessmentTemplate.objects.filter(year=year)
        if options["template"]:
            templates = templates.filter(name=options["template"])
        found = list(templates.order_by("is_demo", "name")[:2])
        if not found:
            raise CommandError(f"no assessment template for {year} (没有该年度的考核模板)")
        if len(found) > 1 and not options["template"]:
            names = ", ".join(
                AssessmentTemplate.objects.filter(year=year).values_list("name", flat=True)
            )
            raise CommandError(f"several templates for {year}; choose one with --template: {names}")
        template = found[0]
        assessment = Assessment.objects.filter(template=template, region=region).first()
        if assessment is None:
            try:
                assessment = services.open_assessment(system_actor(), template, region)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
        with open(options["output"], "wb") as output:
            summary = pack.build_pack(assessment, output)
        self.stdout.write(
            f"{options['output']}: {summary.items} items, {summary.figures} figures, "
            f"{summary.records} records, {summary.documents} documents "
            f"(snapshot #{assessment.snapshot_id})"
        )
