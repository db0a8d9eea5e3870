"""Scale-out: Zhizao's open-data layout (Parquet, Hive-style partitions) and the rollups of many
cities' exports on one machine (DuckDB) or a Dask cluster, both running ``zhizao.indicators``.

No Django here (a ruff rule and a test enforce it): a Dask worker needs only the Zhizao wheel.
``layout`` (the versioned layout, atomic partition writes, the manifest), ``rollup`` (the
engines), ``generate`` (the seeded synthetic national dataset), ``cli`` (``zhizao rollup``,
``zhizao scaleout generate``). See docs/rollups.md and docs/open-data-layout.md.
"""
