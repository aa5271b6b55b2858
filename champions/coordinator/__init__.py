"""The coordinator's desk without Qt: filters, dashboard figures, exports, Open Referral UK, deprivation.

Everything here works on domain records (or the light ``Fact`` rows built from them)
and returns plain data, so the UI only shows it and the tests check exact numbers.
The UI's entry point is ``Desk.load(store)`` (on a worker); the imports that write to the
store are ``openreferral.import_package`` and ``deprivation.import_lookup``.
"""

from .filters import REVIEW_STATES, Fact, FactContext, ReportFilter, build_facts
from .tasks import Cancelled, TaskState

__all__ = ["REVIEW_STATES", "Cancelled", "Fact", "FactContext", "ReportFilter", "TaskState", "build_facts"]
