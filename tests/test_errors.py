"""One kind of error for the user: every layer's own class is a UserError, shown in its own words; anything
else is a bug, shown as a polite line."""

from __future__ import annotations

import pytest

from app.cli import CliError
from app.cli_models import ModelsCliError
from app.documents.document import DocumentError
from app.documents.formats.common import ExtractionCancelled
from app.engine import EngineError
from app.engine.errors import ModelLoadError, NoModelLoaded, PromptError
from app.errors import UserError
from app.models.catalog import CatalogError
from app.models.download_errors import DownloadError
from app.models.library import LibraryError
from app.models.pull import HubError
from app.store import StoreError
from app.ui.messages import plain_message

LAYER_ERRORS = [
    EngineError,
    ModelLoadError,
    NoModelLoaded,
    PromptError,
    StoreError,
    DocumentError,
    ExtractionCancelled,
    DownloadError,
    HubError,
    LibraryError,
    CatalogError,
    CliError,
    ModelsCliError,
]


@pytest.mark.parametrize("error", LAYER_ERRORS, ids=lambda cls: cls.__name__)
def test_every_layers_error_for_people_is_a_user_error(error: type[Exception]) -> None:
    assert issubclass(error, UserError)


def test_a_user_error_is_shown_in_its_own_words_and_a_bug_is_not() -> None:
    assert plain_message(StoreError("The disk is full.")) == "The disk is full."
    assert plain_message(KeyError("internal detail")) == "Something went wrong; details are in the log."
