"""``python -m zhizao.stdcodes parse CODE …``: the same as ``zhizao standards parse``."""

from zhizao.stdcodes.cli import main

raise SystemExit(main())
