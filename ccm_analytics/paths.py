"""Every path the package reads outside itself, in one place.

The package (``ccm_analytics/``) ships its own files: the translation catalogs, the screen and
print assets, the reference CSVs (see ``[tool.setuptools.package-data]`` in pyproject.toml).
The dashboard and the bundled sample live in the checkout next to it and are not installed::

    <checkout>/app.py, pages/, static/, .streamlit/config.toml   the Streamlit app
    <checkout>/serve.py                                           the app behind the door (``ccm serve``)
    <checkout>/data/ccm_sample.xlsx, data/templates/              the sample workbook, blank templates

The project is installed from its checkout (``pip install -e .``, as ``make`` does), so the
checkout is the folder holding the package. A copy installed elsewhere (``pip install .``) has
the reports, the deck and the command line, but not the dashboard or the sample: asking for
them raises :class:`~ccm_analytics.errors.UsageError` saying so, instead of a missing-file
traceback.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError
from .i18n import _

PACKAGE = Path(__file__).resolve().parent
# The folder holding app.py when the package was installed from a checkout (pip install -e .).
CHECKOUT = PACKAGE.parent
APP_SCRIPT = CHECKOUT / "app.py"
SERVE_SCRIPT = CHECKOUT / "serve.py"
SAMPLE_WORKBOOK = CHECKOUT / "data" / "ccm_sample.xlsx"
TEMPLATES = CHECKOUT / "data" / "templates"


def _from_checkout(path: Path) -> Path:
    """``path`` when it exists, else a UsageError saying the checkout is needed."""
    if not path.exists():
        raise UsageError(_("{path} was not found: the dashboard and the sample data run from a checkout of "
                           "CCM Analytics. Clone it and install it from there with: pip install -e .")
                         .format(path=path))
    return path


def checkout() -> Path:
    """The checkout's folder (holding app.py, pages/, static/ and .streamlit/); UsageError without one."""
    _from_checkout(APP_SCRIPT)
    return CHECKOUT


def serve_script() -> Path:
    """serve.py, the dashboard behind the door, which ``ccm serve`` runs."""
    checkout()
    return _from_checkout(SERVE_SCRIPT)


def sample_workbook() -> Path:
    """The bundled sample workbook (``data/ccm_sample.xlsx``)."""
    return _from_checkout(SAMPLE_WORKBOOK)


def templates() -> Path:
    """The folder of blank templates (``data/templates/``: one CSV per dataset and the workbook)."""
    return _from_checkout(TEMPLATES)
