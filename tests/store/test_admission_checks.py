"""The saving use-cases apply the introduction and cell-vote rules themselves (issue #10, items 3
and 4), whatever a flow checked before: introducers by age and cell, picked members full and of the
cell, full members at the vote against the list, a birth date corrected after the vote, the full
birth date asked for saved with the step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.domain.candidates import Background, CandidateDraft, Gender
from bot.domain.dates import LooseDate
from bot.domain.eligibility import Refused
from bot.domain.errors import InvalidInput
from bot.domain.roles import Actor, Role
from bot.domain.stages import Stage
from bot.services.candidates import correct_candidate, correct_step_date, record_step, report_candidate
from bot.store.committees import upsert_committee
from bot.store.db import Database
from bot.store.models import Candidate, CandidateEvent, Cell, Member
from tests.conftest import add_actor

TODAY = date(2026, 11, 28)
RULES = Settings().rules


async def _setup(db: Database, kind: str = "residential") -> tuple[Actor, int, dict[str, int]]:
    async with db.write() as session:
        committee_id, _ = await upsert_committee(session, "Đảng bộ phường Hoàng Văn Thụ", "")
        cell = Cell(committee_id=committee_id, name="Chi bộ tổ 16", kind=kind)
        session.add(cell)
        await session.flush()
        members = [Member(cell_id=cell.id, full_name=name, status=status, active=True)
                   for name, status in [("Lê Văn Hải", "full"), ("Phạm Thị Lan", "full"),
                                        ("Trần Văn Mới", "probationary")]]
        session.add_all(members)
        await session.flush()
        ids = {m.full_name: m.id for m in members}
        cell_id = cell.id
    return await add_actor(db, Role.SECRETARY, cell_id=cell_id), cell_id, ids


async def _dossier(db: Database, sec: Actor, cell: int, birth: LooseDate) -> int:
    draft = CandidateDraft(cell, "Nguyễn Thị Hoa", birth, Gender.FEMALE, Background.WORKER, date(2025, 1, 10))
    cid = (await report_candidate(db, sec, draft, today=TODAY, rules=RULES)).candidate.id
    await record_step(db, sec, cid, Stage.COURSE, date(2025, 3, 1), today=TODAY, rules=RULES)
    await record_step(db, sec, cid, Stage.DOSSIER, date(2026, 1, 5), today=TODAY, rules=RULES)
    return cid


def _two(ids: list[int | None], since: str = "2024-01") -> dict[str, Any]:
    return {"kind": "two_members", "introducers": ["Lê Văn Hải", "Phạm Thị Lan"], "member_ids": ids,
            "known_since": [since, since]}


async def test_two_members_picked_from_the_list_are_saved_with_ids_periods_and_months(db: Database) -> None:
    sec, cell, ids = await _setup(db)
    cid = await _dossier(db, sec, cell, LooseDate(1980, 5, 1))
    saved = await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1),
                              _two([ids["Lê Văn Hải"], None]), today=TODAY, rules=RULES)
    assert saved.candidate.steps[Stage.INTRODUCED].details == {
        "kind": "two_members", "introducers": ["Lê Văn Hải", "Phạm Thị Lan"],
        "member_ids": [ids["Lê Văn Hải"], None], "known_since": ["2024-01", "2024-01"],
        "months_known": [25, 25]}


async def test_introductions_the_rules_refuse_save_nothing(db: Database) -> None:
    sec, cell, ids = await _setup(db)
    cid = await _dossier(db, sec, cell, LooseDate(2000, 5, 1))  # 25: of youth age
    refused = [
        (_two([None, None]), "introducer_kind_not_allowed"),
        ({"kind": "youth_union", "introducers": ["Trần Văn Mới"], "member_ids": [ids["Trần Văn Mới"]],
          "known_since": ["2024-01"]}, "introducer_probationary"),
        ({"kind": "youth_union", "introducers": ["Ai Đó"], "member_ids": [999_999],
          "known_since": ["2024-01"]}, "unknown_member"),
        ({"kind": "youth_union", "introducers": ["Lê Văn Hải"], "member_ids": [ids["Lê Văn Hải"]],
          "known_since": ["2025-03"]}, "known_too_short"),
    ]
    for details, reason in refused:
        with pytest.raises(InvalidInput) as info:
            await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1), details, today=TODAY,
                              rules=RULES)
        assert info.value.data["reason"] == reason
    async with db.read() as session:
        assert list(await session.scalars(select(CandidateEvent.stage).where(
            CandidateEvent.candidate_id == cid, CandidateEvent.stage == "introduced"))) == []


async def test_full_members_at_the_vote_cannot_exceed_the_list(db: Database) -> None:
    sec, cell, _ = await _setup(db)  # two full members on the list
    cid = await _dossier(db, sec, cell, LooseDate(1980, 5, 1))
    await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1), _two([None, None]), today=TODAY,
                      rules=RULES)
    with pytest.raises(InvalidInput, match="votes_total_above_list"):
        await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 3, 1), {"votes_for": 3, "votes_total": 3},
                          today=TODAY, rules=RULES)
    saved = await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 3, 1),
                              {"votes_for": 2, "votes_total": 2}, today=TODAY, rules=RULES)
    assert saved.candidate.stage is Stage.CELL_VOTE


async def test_the_full_birth_date_asked_at_the_vote_is_saved_with_it(db: Database) -> None:
    sec, cell, _ = await _setup(db)
    cid = await _dossier(db, sec, cell, LooseDate(2008))  # 17 or 18 at the vote
    await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1),
                      {"kind": "youth_union", "introducers": ["Lê Văn Hải"], "known_since": ["2024-01"]},
                      today=TODAY, rules=RULES)
    with pytest.raises(Refused, match="birth_date_needed"):
        await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 8, 18), today=TODAY, rules=RULES)
    with pytest.raises(Refused, match="age_below"):
        await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 8, 18), today=TODAY, rules=RULES,
                          birth=LooseDate(2008, 9, 2))
    saved = await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 8, 18), today=TODAY, rules=RULES,
                              birth=LooseDate(2008, 3, 2))
    assert saved.candidate.birth == LooseDate(2008, 3, 2) and saved.candidate.stage is Stage.CELL_VOTE


async def test_a_birth_date_that_breaks_the_recorded_vote_is_refused(db: Database) -> None:
    sec, cell, _ = await _setup(db)
    cid = await _dossier(db, sec, cell, LooseDate(2008, 3, 2))
    await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1),
                      {"kind": "youth_union", "introducers": ["Lê Văn Hải"], "known_since": ["2024-01"]},
                      today=TODAY, rules=RULES)
    await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 8, 18), today=TODAY, rules=RULES)
    for birth, code in [(LooseDate(2008, 8, 19), "corrected_age_below"),
                        (LooseDate(2008), "corrected_birth_date_needed")]:
        with pytest.raises(Refused) as info:
            await correct_candidate(db, sec, cid, "birth", birth, today=TODAY, rules=RULES)
        assert info.value.code == code
    async with db.read() as session:
        row = await session.get(Candidate, cid)
        assert row is not None and (row.birth_year, row.birth_month, row.birth_day) == (2008, 3, 2)
    saved = await correct_candidate(db, sec, cid, "birth", LooseDate(2008, 8, 18), today=TODAY, rules=RULES)
    assert saved.candidate.birth == LooseDate(2008, 8, 18)  # 18 years exactly on the vote


async def test_moving_the_recorded_vote_before_the_18th_birthday_is_refused(db: Database) -> None:
    sec, cell, _ = await _setup(db)
    cid = await _dossier(db, sec, cell, LooseDate(2008, 3, 2))
    await record_step(db, sec, cid, Stage.INTRODUCED, date(2026, 2, 1),
                      {"kind": "youth_union", "introducers": ["Lê Văn Hải"], "known_since": ["2024-01"]},
                      today=TODAY, rules=RULES)
    await record_step(db, sec, cid, Stage.CELL_VOTE, date(2026, 8, 18), today=TODAY, rules=RULES)
    with pytest.raises(Refused) as info:
        await correct_step_date(db, sec, cid, Stage.CELL_VOTE, date(2026, 3, 1), today=TODAY, rules=RULES)
    assert info.value.code == "moved_age_below" and info.value.data["months"] == 17 * 12 + 11
    saved = await correct_step_date(db, sec, cid, Stage.CELL_VOTE, date(2026, 3, 2), today=TODAY, rules=RULES)
    assert saved.candidate.steps[Stage.CELL_VOTE].on == date(2026, 3, 2)
