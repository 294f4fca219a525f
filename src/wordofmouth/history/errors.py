"""History import errors, each with its own code and message."""

from wordofmouth.errors import NotFound
from wordofmouth.i18n import N_


class ImportJobNotFound(NotFound):
    code = "import_job_not_found"
    message = N_("No such import.")
