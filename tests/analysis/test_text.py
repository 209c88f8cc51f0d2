from __future__ import annotations

from datetime import date

from rehab.analysis.text import date_list, pain_value, points, short_date, signed
from rehab.wording import plural


def test_short_date_is_day_and_month_without_padding():
    assert short_date(date(2026, 10, 3)) == "3 Oct"


def test_date_list_joins_sorts_and_deduplicates():
    days = [date(2026, 10, 3), date(2026, 10, 1), date(2026, 10, 3)]
    assert date_list(days) == "1 Oct and 3 Oct"
    assert date_list([date(2026, 10, 1)]) == "1 Oct"


def test_date_list_counts_beyond_its_limit():
    days = [date(2026, 10, d) for d in range(1, 6)]
    assert date_list(days) == "5 days, most recently 3 Oct, 4 Oct and 5 Oct"


def test_counts_and_points_read_naturally():
    assert plural(1, "day") == "1 day"
    assert plural(3, "day") == "3 days"
    assert points(1.0) == "1 point"
    assert points(2.5) == "2.5 points"


def test_date_list_at_exactly_its_limit_lists_every_day():
    days = [date(2026, 10, d) for d in range(1, 4)]
    assert date_list(days) == "1 Oct, 2 Oct and 3 Oct"
    assert date_list([]) == ""


def test_pain_values_keep_one_decimal():
    assert pain_value(6.66) == "6.7"
    assert pain_value(7.0) == "7"


def test_signed_changes_use_a_real_minus_and_no_sign_for_zero():
    # Issue 9 item 2: never "+-0.2".
    assert signed(2.0) == "+2"
    assert signed(0.5) == "+0.5"
    assert signed(-0.2) == "\N{MINUS SIGN}0.2"
    assert signed(-1.25) == "\N{MINUS SIGN}1.2"
    assert signed(0.0) == "0"
    assert signed(-0.04) == "0"
    assert signed(0.04) == "0"
