"""English, French and Spanish (DOMAIN §12): catalogs complete, formatting worked by hand,
every page free of English sentences when another language is chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from ccm_analytics import formatting as fmt
from ccm_analytics import i18n
from ccm_analytics.i18n import catalogs

NBSP, NNBSP = "\u00a0", "\u202f"
DAY = dt.date(2018, 9, 5)


def test_every_message_in_the_code_has_a_french_and_a_spanish_translation_that_is_not_fuzzy():
    problems = catalogs.check(fresh=True)
    assert not problems, "\n".join(map(str, problems[:40])) + f"\n… {len(problems)} in all"


def test_the_address_and_the_cli_accept_a_language_however_it_is_written():
    assert [i18n.parse_language(v) for v in ("fr", "FR", "fr-CH", "es_419", "Français", "espanol", "english")] == \
        ["fr", "fr", "fr", "es", "fr", "es", "en"]
    assert i18n.parse_language("de") is None and i18n.parse_language("") is None


def test_a_language_chosen_in_one_block_does_not_leak_out_of_it():
    assert i18n.current() == "en"
    with i18n.language("fr"):
        assert i18n.current() == "fr"
        with i18n.language("es"):
            assert i18n.current() == "es"
        assert i18n.current() == "fr"
    assert i18n.current() == "en"


@pytest.mark.parametrize("lang, amount, short, big, rate, day, long_day", [
    # Worked by hand from CLDR's conventions: French groups with a narrow no-break space and puts
    # the currency after the amount; Spanish groups with a full stop; both write 61,2 %.
    ("en", "CHF 290,637", "CHF 291k", "CHF 1.2m", "61.2%", "5 Sep 2018", "5 September 2018"),
    ("fr", f"290{NNBSP}637{NBSP}CHF", f"291{NBSP}k{NBSP}CHF", f"1,2{NBSP}M{NBSP}CHF", f"61,2{NBSP}%",
     "5 sept. 2018", "5 septembre 2018"),
    ("es", f"290.637{NBSP}CHF", f"291{NBSP}mil{NBSP}CHF", f"1,2{NBSP}M{NBSP}CHF", f"61,2{NBSP}%",
     "5 sept 2018", "5 de septiembre de 2018"),
])
def test_amounts_rates_and_days_are_written_as_each_language_writes_them(lang, amount, short, big, rate, day,
                                                                          long_day):
    with i18n.language(lang):
        assert fmt.chf(290637) == amount
        assert fmt.chf_short(290637) == short
        assert fmt.chf_short(1_234_567) == big
        assert fmt.pct(0.612) == rate
        assert fmt.day(DAY) == day
        assert fmt.long_day(DAY) == long_day


def test_lists_join_with_the_language_s_own_and():
    items = ["Chad", "Iraq", "Peru"]
    with i18n.language("fr"):
        assert fmt.and_list(items) == "Chad, Iraq et Peru"
    with i18n.language("es"):
        assert fmt.and_list(items) == "Chad, Iraq y Peru"
    assert fmt.and_list(items) == "Chad, Iraq and Peru"


def test_french_counts_zero_and_one_as_singular_spanish_only_one():
    """The compiled catalogs carry each language's plural rule (gettext's Plural-Forms)."""
    french, spanish = i18n.translations("fr"), i18n.translations("es")
    assert [french.plural(n) for n in (0, 1, 2, 10)] == [0, 0, 1, 1]
    assert [spanish.plural(n) for n in (0, 1, 2, 10)] == [1, 0, 1, 1]


def test_treaty_terms_follow_the_glossary():
    """The status words use the Convention's terms: overdue is never merely 'late' in French."""
    with i18n.language("fr"):
        assert fmt.label("overdue") != fmt.label("late")
        assert "partie" in fmt.label("state_party").casefold()
    with i18n.language("es"):
        assert "parte" in fmt.label("state_party").casefold()
