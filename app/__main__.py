"""``python -m app`` runs Tend, like the ``tend`` command (``tend status`` without importing
the full command line: see :func:`app.cli_status.main`)."""

from app.cli_status import main

raise SystemExit(main())
