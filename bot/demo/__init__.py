"""A generated demo ward, so the bot can be tried, shown and benchmarked without anyone's real data.

`write_demo_ward` fills an empty, migrated database with a ward shaped like the real one in
DOMAIN.md ("The seed's own figures"): Đảng bộ phường Hoàng Văn Thụ, 32 cells, about 1,700
members, 12 admissions in 2022 and 45 in 2023 against a quota of 43, and Chi bộ tổ 16 with 117
members at the end of 2022, 119 at the end of 2023 and 2 admissions in 2023 against its quota of 1.
Everything after 2023 is invented but plausible, relative to the `today` it is given, and leaves
the reminder and status features something to say (see "The story" below).

Generation is deterministic: the same seed, `today` and scale give the same rows, byte for byte
(one `random.Random(seed)`, no clock; even the `created_at` stamps derive from the dates).
The plan is built in memory first, then written with bulk INSERTs in one transaction, so
scale 10 (≈320 cells, ≈17,000 members) writes in seconds.

The story, relative to `today` (at scale 1; larger scales add random cells around it):
- behind their quota this year: Chi bộ tổ 4, 9, 13, 16 and 20 (none admitted), Chi bộ Trường
  Mầm non Tuổi Thơ (1 of 2), Chi bộ Công ty TNHH Hoàng Phát (0 of 2); cells whose planned
  admission falls after `today` are behind too, with the candidate in the pipeline (seed 2024
  on 28/11/2026: tổ 8 and tổ 19, each awaiting a decision);
- Chi bộ tổ 16 (the demo secretary's cell) has candidates spotted, on the course, with a dossier
  and one awaiting the admission decision, its cell vote 56 working days back (the decision is
  due 60 working days after it, as domain.deadlines counts); a member whose
  probation ends in 18 days (when that admission falls in an earlier year); one member with
  3 unexcused absences this year and one with 2;
- Chi bộ tổ 9 waits for a decision already overdue (cell vote 63 working days back);
- Chi bộ tổ 4 has a candidate whose course certificate is 57 months old (valid 60);
- Chi bộ tổ 11 has a dossier 13 months old with no cell vote (to be refreshed);
- Chi bộ Trường THCS Hoàng Văn Thụ has a decision 18 working days old and no ceremony yet;
- Chi bộ Công an phường has a member whose probation ended 12 days ago, not yet recognised;
- Chi bộ tổ 7, tổ 19 and Chi bộ Quân sự phường have not reported a meeting since the start of
  last month; the committee member in charge of Chi bộ tổ 15 has not attended for 4 months.

Demo users are Telegram identities (`DEMO_USERS`): the ward office (admin), a committee member
in charge of tổ 16 and three other cells, tổ 16's secretary, one secretary per other cell
(710000 + the cell's position) and committee members covering every other cell (720001, …).
The generator assumes the default per-kind quotas (QuotaSettings: residential 1, others 2),
which is how 21 × 1 + 11 × 2 makes the ward's 43.

The package: `ward` (the seed's fixed facts and the demo users), `names` (Vietnamese names drawn
without repeats); the plan, in memory and without I/O: `shapes` (what is planned), `candidates`,
`members`, `meetings`, and `plan` (cells, users and the whole ward); and `write` (one bulk write
into an empty, migrated database, and reading demo users' names back).
"""
