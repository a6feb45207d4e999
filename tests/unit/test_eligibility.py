"""The cell vote's checks at their boundaries (issue #10, item 4): 18 and 60 in months, a birth year
too vague near a limit, the certificate's last valid day, the dossier's 12 months, full members
against the imported list."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import RuleSettings
from bot.domain.dates import LooseDate
from bot.domain.eligibility import Refused, check_vote_age, check_vote_papers, check_votes_total
from bot.domain.errors import InvalidInput
from bot.domain.pipeline import CandidateSnapshot, check_step
from bot.domain.stages import Stage

RULES = RuleSettings()
TODAY = date(2026, 11, 28)


def refusal(birth: LooseDate, on: date) -> Refused:
    with pytest.raises(Refused) as info:
        check_vote_age(birth, on, RULES)
    return info.value


def test_eighteen_years_exactly_may_be_voted_on_but_17_years_11_months_not() -> None:
    check_vote_age(LooseDate(2008, 11, 28), date(2026, 11, 28), RULES)
    young = refusal(LooseDate(2008, 11, 28), date(2026, 11, 27))
    assert young.code == "age_below" and young.data["months"] == 17 * 12 + 11


def test_sixty_years_exactly_may_be_voted_on_one_month_more_goes_to_the_higher_committee() -> None:
    check_vote_age(LooseDate(1966, 11, 28), date(2026, 11, 28), RULES)
    check_vote_age(LooseDate(1966, 11, 28), date(2026, 12, 27), RULES)  # 60 years 0 months still
    old = refusal(LooseDate(1966, 11, 28), date(2026, 12, 28))
    assert old.code == "age_above" and old.data["months"] == 60 * 12 + 1


@pytest.mark.parametrize("year", [2008, 1966])
def test_a_birth_year_near_a_limit_asks_for_the_full_date(year: int) -> None:
    """Born 2008 may be 17 or 18 on 18/08/2026; born 1966 may be 59 or 60 and some months."""
    asked = refusal(LooseDate(year), date(2026, 8, 18))
    assert asked.code == "birth_date_needed" and asked.data["year"] == year


def test_a_birth_year_far_from_the_limits_decides_alone() -> None:
    check_vote_age(LooseDate(2000), date(2026, 8, 18), RULES)
    assert refusal(LooseDate(2010), date(2026, 8, 18)).code == "age_below"
    assert refusal(LooseDate(1950), date(2026, 8, 18)).code == "age_above"


def test_the_certificate_counts_until_its_last_day_and_not_after() -> None:
    events = {Stage.COURSE: date(2021, 3, 15)}
    check_vote_papers(events, date(2026, 3, 15), RULES)  # 60 months: valid to the end of 15/03/2026
    with pytest.raises(Refused) as info:
        check_vote_papers(events, date(2026, 3, 16), RULES)
    assert info.value.code == "certificate_expired" and info.value.data["until"] == "2026-03-15"


def test_a_dossier_12_months_old_may_be_voted_on_one_day_more_not() -> None:
    events = {Stage.DOSSIER: date(2025, 9, 1)}
    check_vote_papers(events, date(2026, 8, 31), RULES)  # a day short of 12 months
    check_vote_papers(events, date(2026, 9, 1), RULES)  # 12 months exactly
    with pytest.raises(Refused) as info:
        check_vote_papers(events, date(2026, 9, 2), RULES)
    assert info.value.code == "dossier_stale" and info.value.data["until"] == "2026-09-01"


def test_the_cell_vote_step_applies_age_and_papers() -> None:
    snapshot = CandidateSnapshot(Stage.INTRODUCED, False, {Stage.COURSE: date(2021, 3, 15),
                                                           Stage.DOSSIER: date(2026, 1, 5),
                                                           Stage.INTRODUCED: date(2026, 2, 1)},
                                 LooseDate(1990, 1, 1))
    check_step(snapshot, Stage.CELL_VOTE, date(2026, 3, 15), TODAY, RULES)
    with pytest.raises(Refused, match="certificate_expired"):
        check_step(snapshot, Stage.CELL_VOTE, date(2026, 3, 16), TODAY, RULES)


def test_full_members_at_the_vote_cannot_exceed_the_imported_list() -> None:
    check_votes_total(29, 29)
    check_votes_total(500, None)  # no list imported: nothing to compare with
    with pytest.raises(InvalidInput) as info:
        check_votes_total(30, 29)
    assert info.value.data == {"field": "votes", "reason": "votes_total_above_list", "votes_total": 30,
                               "listed": 29}
