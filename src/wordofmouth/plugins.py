"""Plug every capability's till extensions in, in a fixed order."""

from wordofmouth.sales import core_steps


def install() -> None:
    core_steps.install()
