"""The load of ``make stress`` (bench/stress.py runs it headless; never imported by the tests:
locust monkey-patches the standard library with gevent). Public visitors read the front page,
the figures catalogue, the rapid-test public boards and the figures API; instruments post test
records to the instrument API (a bearer token and a market from the environment)."""

from __future__ import annotations

import os
import random
import re
import time
import uuid

from locust import HttpUser, between, task

TOKEN = os.environ["ZHIZAO_STRESS_TOKEN"]
MARKET = os.environ["ZHIZAO_STRESS_MARKET"]
BOARDS: list[str] = []


class Visitor(HttpUser):
    wait_time = between(0.5, 2.0)
    weight = 4

    def on_start(self) -> None:
        if not BOARDS:
            response = self.client.get("/rapidtest/board/", name="/rapidtest/board/")
            BOARDS.extend(sorted(set(re.findall(r'href="(/rapidtest/board/\d+/)"', response.text))))

    @task(3)
    def front_page(self) -> None:
        self.client.get("/", name="/ (front page)")

    @task(1)
    def figures_page(self) -> None:
        self.client.get("/figures/", name="/figures/")

    @task(1)
    def board_list(self) -> None:
        self.client.get("/rapidtest/board/", name="/rapidtest/board/")

    @task(3)
    def board(self) -> None:
        if BOARDS:
            self.client.get(random.choice(BOARDS), name="/rapidtest/board/{pk}/")

    @task(2)
    def figures_api(self) -> None:
        self.client.get("/api/v1/figures", name="/api/v1/figures")


class Instrument(HttpUser):
    wait_time = between(1.0, 3.0)
    weight = 1

    @task
    def post_record(self) -> None:
        self.client.post(
            "/api/v1/rapidtest/records",
            json={
                "client_record_id": f"stress-{uuid.uuid4().hex}",
                "market": MARKET,
                "product": "青菜",
                "item": "有机磷和氨基甲酸酯类农药残留",
                "value": f"{random.uniform(0, 45):.1f}",
                "tested_at": time.strftime(
                    "%Y-%m-%dT%H:%M:%S+08:00", time.localtime(time.time() - 600)
                ),
                "supplier": "株洲甲农产品经营部",
                "instrument_id": "DEV-STRESS",
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
            name="POST /api/v1/rapidtest/records",
        )
