"""The province's view (Ban Tổ chức Tỉnh ủy / Thành ủy): every ward's year in one table, wards
behind first, from a fixed number of set-based queries (bot.store.province), never one per ward.
Drilling into one ward is the ward's own /tonghop (bot.services.status.ward_summary, ward_id)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from bot.config import Settings
from bot.domain.cells import CellKind, natural_key
from bot.domain.errors import DomainError, NotFound, PermissionDenied
from bot.domain.quotas import Progress, Quota, counted_stage, resolve_cell_quota, resolve_ward_quota
from bot.domain.roles import Actor, Role
from bot.domain.wards import behind_first, resolve_ward
from bot.domain.yearfigures import Period
from bot.store.committees import PROVINCE, CommitteeInfo, get_committee, list_wards
from bot.store.db import Database
from bot.store.province import admitted_by_ward, cell_quota_facts, members_by_ward, ward_quotas


@dataclass(frozen=True)
class WardRow:
    ward: CommitteeInfo
    admitted: int
    quota: Quota
    last_year_admitted: int
    members_end: int

    @property
    def progress(self) -> Progress:
        return Progress(self.admitted, self.quota.value)


@dataclass(frozen=True)
class ProvinceYear:
    province_name: str
    period: Period
    wards: tuple[WardRow, ...]  # behind first

    @property
    def admitted(self) -> int:
        return sum(w.admitted for w in self.wards)

    @property
    def quota(self) -> int:
        return sum(w.quota.value for w in self.wards)

    @property
    def last_year_admitted(self) -> int:
        return sum(w.last_year_admitted for w in self.wards)


def require_province(actor: Actor) -> int:
    if actor.role is not Role.PROVINCE or actor.committee_id is None:
        raise PermissionDenied(reason="province_only")
    return actor.committee_id


async def province_year(
    db: Database, actor: Actor, *, year: int, today: date, settings: Settings
) -> ProvinceYear:
    """Every ward of the actor's province for `year`, wards furthest behind their quota first."""
    province_id = require_province(actor)
    period = Period.of(year, today)
    count_by = counted_stage(settings.quotas.count_by)
    async with db.read() as session:
        province = await get_committee(session, province_id)
        if province is None or province.kind != PROVINCE:
            raise DomainError("province_missing")
        wards = [w for w in await list_wards(session) if w.parent_id == province_id]
        admitted = await admitted_by_ward(session, province_id, count_by, period.start, period.end)
        last = await admitted_by_ward(session, province_id, count_by, period.last_start, period.last_end)
        members = await members_by_ward(session, province_id, period.end)
        planned = await ward_quotas(session, province_id, year)
        cells = await cell_quota_facts(session, province_id, year)
    cells_total: dict[int, int] = defaultdict(int)
    for ward_id, kind, own, plan in cells:
        cells_total[ward_id] += resolve_cell_quota(CellKind(kind), own, plan, settings.quotas).value
    rows = [
        WardRow(w, admitted.get(w.id, 0),
                resolve_ward_quota(planned.get(w.id), w.superior_name, cells_total.get(w.id, 0)),
                last.get(w.id, 0), members.get(w.id, 0))
        for w in wards
    ]
    rows.sort(key=lambda r: behind_first(
        r.admitted / r.quota.value if r.quota.value else None, natural_key(r.ward.name)))
    return ProvinceYear(province.name, period, tuple(rows))


async def find_province_ward(db: Database, actor: Actor, name: str) -> CommitteeInfo:
    """The ward of the actor's province that a typed name means; NotFound otherwise."""
    province_id = require_province(actor)
    async with db.read() as session:
        wards = {w.name: w for w in await list_wards(session) if w.parent_id == province_id}
    stored = resolve_ward(name, wards)
    if stored is None:
        raise NotFound("ward_unknown", value=name[:60], names="; ".join(sorted(wards, key=natural_key)))
    return wards[stored]


async def province_wards(db: Database, actor: Actor) -> list[CommitteeInfo]:
    """The wards of the actor's province, by name (to choose one: /chitieu)."""
    province_id = require_province(actor)
    async with db.read() as session:
        wards = [w for w in await list_wards(session) if w.parent_id == province_id]
    return sorted(wards, key=lambda w: natural_key(w.name))
