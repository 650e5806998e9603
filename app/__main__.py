"""``python -m app`` runs Tend, like the ``tend`` command."""

from app.cli import main

raise SystemExit(main())
