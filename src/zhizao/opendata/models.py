"""The open-data app owns no records: the dashboard, the series and the catalogue read the
published snapshots of ``zhizao.reports`` (``Publication`` → ``Snapshot`` →
``SnapshotFigure``), and the dataset exports read the domain apps' records through the
indicator registry (docs/opendata.md)."""
