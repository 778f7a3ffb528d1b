"""The Sphinx extension under the name users enable: ``extensions = ["qlrules.sphinxext"]``.

It lives in `qlrules.integrations.sphinx`; this module keeps the name documented since 0.1.
"""

from .integrations.sphinx import *  # noqa: F403
from .integrations.sphinx import __all__, setup  # noqa: F401
