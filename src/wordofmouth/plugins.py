"""Plug every capability's till extensions in, in a fixed order."""

from wordofmouth.club import steps as club_steps
from wordofmouth.friends import steps as friend_steps
from wordofmouth.partners import steps as partner_steps
from wordofmouth.sales import core_steps


def install() -> None:
    core_steps.install()
    club_steps.install()
    friend_steps.install()
    partner_steps.install()
