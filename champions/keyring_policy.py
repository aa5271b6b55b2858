"""Which keyring backends Champions accepts: the OS keyring, never a plaintext file by accident.

``keyrings.alt`` (a test dependency, and bundled in the frozen app so its packaging test has a
keyring) registers file backends that keep secrets in a file under the home folder. On a
laptop with no Secret Service, ``keyring`` would quietly pick one of them, and the database
key would sit on disk beside the database: exactly what the "key only in the OS keyring"
rule forbids. So they are refused unless someone chose one on purpose through
``PYTHON_KEYRING_BACKEND`` (the tests do, with a file under their own temporary folder).
With nothing else left, ``keyring`` falls back to its "no keyring" backend, and the store
then says plainly that there is no safe place for the key.
"""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger(__name__)

ENV = "PYTHON_KEYRING_BACKEND"
_FILE_MODULES = ("keyrings.alt.file", "keyrings.alt.file_base")


def is_file_backend(backend: Any) -> bool:
    """True for keyrings.alt's file-backed keyrings (plaintext or password-encrypted files)."""
    return any(cls.__module__ in _FILE_MODULES for cls in type(backend).__mro__)


def _involves_file_backend(backend: Any) -> bool:
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        return any(is_file_backend(b) for b in backend.backends)
    return is_file_backend(backend)


def explicitly_chosen() -> str | None:
    """The backend named in PYTHON_KEYRING_BACKEND, if any."""
    return os.environ.get(ENV) or None


def refuse_file_keyrings() -> str | None:
    """Re-detect the keyring without file backends unless one was chosen explicitly.

    Returns a sentence saying what was refused (for the self-check and the log), or None
    when nothing had to change. Only touches keyring when the chosen backend involves a
    file backend, so a backend set in code (the tests' in-memory one) stays as it is.
    """
    if explicitly_chosen():
        return None
    import keyring
    import keyring.core

    current = keyring.get_keyring()
    if not _involves_file_backend(current):
        return None
    refused = type(current).__name__ if is_file_backend(current) else "a file keyring in the chain"
    keyring.core.init_backend(limit=lambda backend: not is_file_backend(backend))
    if _involves_file_backend(keyring.get_keyring()):  # named in keyring's own config file
        from keyring.backends import fail

        keyring.core.set_keyring(fail.Keyring())
    message = (
        f"The keyring {refused} keeps secrets in a plain file, so Champions does not use it "
        f"(set {ENV} to choose it on purpose, for testing only)."
    )
    now = type(keyring.get_keyring())
    log.warning("keyring: %s Now using %s.%s.", message, now.__module__, now.__name__)
    return message
