"""``python -m app`` runs Tend, like the ``tend`` command (``tend status`` without importing
the full command line: see :mod:`app.entry`)."""

from app.entry import main

raise SystemExit(main())
