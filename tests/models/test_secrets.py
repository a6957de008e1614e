"""The Hugging Face token: in the keyring when there is one, for this session only when there isn't."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from keyring.errors import KeyringLocked, PasswordDeleteError

from app.models import secrets
from app.models.secrets import SERVICE, USERNAME, TokenStore


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so no test touches the user's real one."""

    priority = 1

    def __init__(self) -> None:
        # keyring's base constructor is untyped.
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


def fail_keyring() -> KeyringBackend:
    """keyring's own "no keyring here" backend, as on headless Linux."""
    return FailKeyring()  # type: ignore[no-untyped-call]  # keyring's backends have untyped constructors


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but refuses (a locked login keyring the user won't unlock)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


def _install(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    for _ in _install(backend):
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[KeyringBackend]:
    yield from _install(fail_keyring())


def test_token_is_saved_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    assert store.get() is None
    assert store.set("  hf_abc123\n") == "keyring"
    assert memory_keyring.passwords == {(SERVICE, USERNAME): "hf_abc123"}
    assert TokenStore().get() == "hf_abc123"  # a later start finds it
    store.clear()
    assert memory_keyring.passwords == {}
    assert store.get() is None
    store.clear()  # clearing twice is fine


def test_without_a_keyring_the_token_lasts_the_session(no_keyring: KeyringBackend) -> None:
    store = TokenStore()
    assert store.get() is None
    assert store.set("hf_abc123") == "session"
    assert store.get() == "hf_abc123"
    assert TokenStore().get() is None  # the next start has to ask again
    store.clear()
    assert store.get() is None


def test_a_locked_keyring_falls_back_to_the_session() -> None:
    for _ in _install(LockedKeyring()):
        store = TokenStore()
        assert store.set("hf_abc123") == "session"
        assert store.get() == "hf_abc123"


def test_saving_to_the_keyring_replaces_a_session_token(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    for _ in _install(fail_keyring()):
        assert store.set("hf_old") == "session"
    assert store.set("hf_new") == "keyring"
    assert store.get() == "hf_new"


def test_empty_token_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ValueError, match="empty"):
        TokenStore().set("   ")


def test_module_functions_use_one_store(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secrets, "_default", TokenStore())
    assert secrets.set_token("hf_abc123") == "keyring"
    assert secrets.get_token() == "hf_abc123"
    secrets.clear_token()
    assert secrets.get_token() is None
