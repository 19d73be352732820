"""``python -m auditor.generate --clients N --months M --seed S --out DIR``."""

from .cli import main

raise SystemExit(main())
