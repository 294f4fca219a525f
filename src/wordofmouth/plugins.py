"""Plug every capability's till extensions in, in a fixed order, and the signals that
tell caches of changes."""

from wordofmouth.auth import token_cache
from wordofmouth.club import steps as club_steps
from wordofmouth.friends import steps as friend_steps
from wordofmouth.partners import steps as partner_steps
from wordofmouth.sales import core_steps
from wordofmouth.storefront import cache_signal


def install() -> None:
    core_steps.install()
    club_steps.install()
    friend_steps.install()
    partner_steps.install()
    cache_signal.install()
    token_cache.install()
