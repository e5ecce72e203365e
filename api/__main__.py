"""``python -m api``: start the REST service (see :mod:`api.serve`)."""

import sys

from api.serve import main

sys.exit(main())
