"""The Dask engine on a real ``distributed.LocalCluster`` (two worker processes) gives exactly the
local (DuckDB) engine's tables on two million generated rapid tests, and still does when a worker
process is killed in the middle of the run. No database: these tests need no Django."""

from __future__ import annotations

import os
import signal
import threading
import time

import pandas as pd
import pytest

from zhizao.scaleout.generate import generate
from zhizao.scaleout.rollup import Rollup, rollup_dask, rollup_local

ROWS = 2_000_000  # a few million on a busy 2-core machine: ~12 s to generate


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    root = tmp_path_factory.mktemp("national")
    rows = generate(root, cities=30, records=ROWS, stations=60, seed=7, year=2024)
    assert rows["rapidtest"] == ROWS
    return root


@pytest.fixture(scope="module")
def local(national):
    return rollup_local(national)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as connected:
        yield connected


def assert_same(left: Rollup, right: Rollup) -> None:
    """Counts exact, rates to 1e-12 (they are in fact equal: the same function on the same
    integers)."""
    for name in ("pass_rates", "air"):
        a, b = getattr(left, name), getattr(right, name)
        assert list(a.columns) == list(b.columns)
        assert len(a) == len(b) > 0
        floats = [c for c in a.columns if a[c].dtype.kind == "f"]
        exact = [c for c in a.columns if c not in floats]
        pd.testing.assert_frame_equal(a[exact], b[exact], check_exact=True)
        pd.testing.assert_frame_equal(a[floats], b[floats], check_exact=False, rtol=1e-12)


def test_dask_and_local_give_identical_tables(national, local, client):
    assert len(client.scheduler_info()["workers"]) == 2
    result = rollup_dask(national, client)
    assert_same(local, result)
    rates = local.pass_rates
    nation = rates[
        (rates.dataset == "rapidtest")
        & (rates.level == "nation")
        & (rates.period == "year")
        & (rates.category == "*")
    ]
    assert int(nation.total.iloc[0]) == ROWS  # every generated test is its own batch
    assert (local.air.level == "station").sum() == 60
    assert local.synthetic


def test_a_worker_killed_mid_run_is_recovered_from(national, local, client):
    pids = client.run(os.getpid)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = rollup_dask(national, client)
        except BaseException as error:  # pragma: no cover - reported below
            outcome["error"] = error

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.monotonic() + 60
    victim = None
    while time.monotonic() < deadline and runner.is_alive():
        processing = client.processing()
        busy = [address for address, keys in processing.items() if keys and address in pids]
        if busy:
            victim = busy[0]
            os.kill(pids[victim], signal.SIGKILL)
            break
        time.sleep(0.05)
    runner.join(timeout=300)
    assert victim is not None, "the run ended before a worker could be killed"
    assert "error" not in outcome, outcome.get("error")
    result = outcome["result"]
    assert isinstance(result, Rollup)
    assert_same(local, result)
    # The nanny restarted the killed worker: a new process where the old one was.
    client.wait_for_workers(2, timeout=60)
    assert set(client.run(os.getpid).values()).isdisjoint({pids[victim]})
