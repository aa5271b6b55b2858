"""Champions: log community conversations, barriers and outreach; sync them to a hub."""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("champions")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
