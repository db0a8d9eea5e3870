"""``python -m zhizao.indicators aqi …``: the indicator CLI without Django."""

from zhizao.indicators.cli import main

raise SystemExit(main())
