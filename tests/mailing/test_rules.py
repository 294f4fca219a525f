"""Mailing rules: placeholders, addresses, who can receive a channel, backoff."""

from datetime import timedelta

import pytest

from wordofmouth.mailing import rules


def test_templates_fill_known_placeholders_and_refuse_unknown_ones() -> None:
    assert rules.render("Hi {first_name}, you have {bonus_balance} bonuses",
                        {"first_name": "Olena", "bonus_balance": "12.50"}) == \
        "Hi Olena, you have 12.50 bonuses"
    for bad in ("Hi {name}", "Hi {first_name", "Hi {0}", "{first_name.upper}"):
        with pytest.raises(rules.TemplateError):
            rules.render(bad, {})


@pytest.mark.parametrize(("raw", "e164"), [
    ("+380 50 111 22 33", "+380501112233"), ("050-111-22-33", "+380501112233"),
    ("(050) 1112233", "+380501112233"), ("+48 601 234 567", "+48601234567"),
    ("12345", None), ("", None), (None, None), ("+380 00 000", None), ("phone", None)])
def test_phones_are_normalised_to_e164(raw: str | None, e164: str | None) -> None:
    assert rules.phone_e164(raw, "UA") == e164


@pytest.mark.parametrize(("raw", "valid"), [
    ("olena@example.com", "olena@example.com"), (" Olena@Example.COM ", "Olena@example.com"),
    ("no-at-sign", None), ("a@b", None), ("two@@example.com", None), ("", None)])
def test_email_addresses_are_checked(raw: str, valid: str | None) -> None:
    assert rules.email_address(raw) == valid


@pytest.mark.parametrize(("channel", "consents", "phone", "expected"), [
    ("email", (True, False, False), "", ("email", "olena@example.com", "", "")),
    ("email", (False, True, True), "", ("email", "", "", "no consent for e-mail")),
    ("sms", (False, True, False), "0501112233", ("sms", "+380501112233", "", "")),
    ("sms", (False, True, False), "123", ("sms", "", "", "no valid phone number")),
    ("viber", (False, False, False), "0501112233", ("viber", "", "", "no consent for Viber")),
    ("viber_sms", (False, True, True), "0501112233",
     ("viber", "+380501112233", "+380501112233", "")),
    ("viber_sms", (False, False, True), "0501112233", ("viber", "+380501112233", "", "")),
    ("viber_sms", (False, True, False), "0501112233", ("sms", "+380501112233", "", "")),
    ("viber_sms", (True, False, False), "0501112233",
     ("viber_sms", "", "", "no consent for Viber or SMS")),
])
def test_who_receives_what(channel: str, consents: tuple[bool, bool, bool], phone: str,
                           expected: tuple[str, str, str, str]) -> None:
    e, s, v = consents
    to = rules.recipient(channel, email="olena@example.com", phone=phone, consent_email=e,
                         consent_sms=s, consent_viber=v)
    assert (to.channel, to.address, to.fallback_address, to.skipped) == expected


def test_backoff_doubles_up_to_an_hour_or_follows_retry_after() -> None:
    assert [rules.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert rules.backoff(20) == timedelta(hours=1)
    assert rules.backoff(1, retry_after=7) == timedelta(seconds=7)


@pytest.mark.parametrize("template", ["{first_name:d}", "{bonus_balance:{card}}",
                                      "{first_name:>100000000}", "{first_name!r}",
                                      "{first_name.__class__}", "{codes[0]}"])
def test_placeholders_take_no_format_language(template: str) -> None:
    with pytest.raises(rules.TemplateError):
        rules.placeholders_in(template)
    with pytest.raises(rules.TemplateError):
        rules.render(template, {"first_name": "Olena", "bonus_balance": "5", "card": "x"})


def test_a_filled_in_message_is_bounded_and_braces_can_be_doubled() -> None:
    assert rules.render("{{hi}} {first_name}", {"first_name": "Olena"}) == "{hi} Olena"
    long = rules.render("{codes}", {"codes": "2900000000001 " * 5000})
    assert len(long) == rules.MAX_MESSAGE and long.endswith("…")
    with pytest.raises(rules.TemplateError):
        rules.placeholders_in("x" * (rules.MAX_TEMPLATE + 1))
