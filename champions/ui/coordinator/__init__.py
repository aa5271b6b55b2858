"""The coordinator's pages in the app: the Dashboard (charts, their tables, exports) so far.

``install.install_coordinator(window)`` adds them when the device is enrolled as a coordinator,
and in ``--demo``. Everything counted or written comes from ``champions.coordinator``.
"""
