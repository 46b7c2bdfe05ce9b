"""``python -m twomountains`` runs the command line."""

import sys

from twomountains.cli import main

sys.exit(main())
