from collections.abc import Iterator

import pytest

from wordofmouth.throttle import CODE_GUESSES


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    CODE_GUESSES.reset()
    yield
    CODE_GUESSES.reset()
