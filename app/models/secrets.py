"""The user's Hugging Face token, kept in the OS keyring (Keychain, Credential Manager, Secret Service).

Headless Linux and some minimal desktops have no keyring: keyring then uses its "fail" backend, which
raises NoKeyringError. Hearth still works there; the token lives in memory for this session only, and
`set_token` says so, so the UI can tell the user it will be asked for again next time.
"""

from __future__ import annotations

import logging
from typing import Literal

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger("hearth.models")

SERVICE = "Hearth"
USERNAME = "huggingface"

TokenStorage = Literal["keyring", "session"]


class TokenStore:
    """One place for the token: the keyring when there is one, this object's memory otherwise."""

    def __init__(self) -> None:
        self._session_token: str | None = None

    def get(self) -> str | None:
        if self._session_token is not None:
            return self._session_token
        try:
            return keyring.get_password(SERVICE, USERNAME)
        except KeyringError as exc:
            log.info("no usable keyring (%s): no saved Hugging Face token", type(exc).__name__)
            return None

    def set(self, token: str) -> TokenStorage:
        token = token.strip()
        if not token:
            raise ValueError("the token is empty")
        try:
            keyring.set_password(SERVICE, USERNAME, token)
        except KeyringError as exc:
            log.info("no usable keyring (%s): keeping the token for this session", type(exc).__name__)
            self._session_token = token
            return "session"
        self._session_token = None
        return "keyring"

    def clear(self) -> None:
        self._session_token = None
        try:
            keyring.delete_password(SERVICE, USERNAME)
        except PasswordDeleteError:
            pass  # nothing was saved
        except KeyringError as exc:
            log.info("no usable keyring (%s): nothing to clear there", type(exc).__name__)


# The app has one user and one token; the keyring itself is process-wide, so the session fallback is too.
_default = TokenStore()


def get_token() -> str | None:
    return _default.get()


def set_token(token: str) -> TokenStorage:
    return _default.set(token)


def clear_token() -> None:
    _default.clear()
