"""Who may read the dashboard and the open data: everyone. What they read is public by
construction: published snapshots only (``Publication``), published indicators only (the
registry's ``published`` flag), and of the records only the allow-listed columns of the years
a region has published (``datasets.py``). No page or operation of this app changes anything.
"""

from __future__ import annotations

from zhizao.core.permissions import AnyUser


def can_read(user: AnyUser) -> bool:
    """The dashboard, the series, the dataset exports and the catalogue: everyone."""
    return True
