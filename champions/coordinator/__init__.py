"""The coordinator's desk without Qt: filters, dashboard figures, exports, Open Referral UK, deprivation.

Everything here works on domain records (or the light ``Fact`` rows built from them)
and returns plain data, so the UI only shows it and the tests check exact numbers.
"""

from .filters import Fact, FactContext, ReportFilter, REVIEW_STATES, build_facts
from .tasks import Cancelled, TaskState

__all__ = ["Cancelled", "Fact", "FactContext", "REVIEW_STATES", "ReportFilter", "TaskState", "build_facts"]
