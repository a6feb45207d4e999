"""/tiendo and /tonghop through the real bot on the demo ward: the seed's own figures."""

from __future__ import annotations

from bot.demo.ward import DEMO_USERS
from bot.domain.quotas import Progress
from bot.sandbox.local import LocalBot
from bot.texts import t
from bot.texts.status import phrase

ADMIN, COMMITTEE, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["committee"], DEMO_USERS["secretary"]


async def test_ward_summary_2023_reproduces_the_reported_figures(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(ADMIN, "/tonghop 2023")
    text = "\n".join(m.text or "" for m in replies)
    assert t("summary.total", "vi", admitted=45, quota=43, phrase="đạt 104,65 %, vượt 4,65 %") in text
    assert t("summary.vs_last_year", "vi", last_year=2022, last=12, percent="375 %") in text
    assert "bằng 375 % cùng kỳ" in text and "vượt 4,65 %" in text
    assert t("summary.cell_line", "vi", mark="🟢", cell="Chi bộ tổ 16", admitted=2, quota=1,
             phrase=phrase(Progress(2, 1), "vi")) in text
    assert "Chi bộ tổ 16: 2/1 — đạt 200 %, vượt 100 %" in text


async def test_committee_member_sees_the_summary_and_a_compact_line_per_cell(demo_bot: LocalBot) -> None:
    summary = await demo_bot.say(COMMITTEE, "/tonghop")
    assert summary[0].text is not None and "tổng hợp năm 2026" in summary[0].text
    progress = await demo_bot.say(COMMITTEE, "/tiendo")
    lines = (progress[0].text or "").split("\n")
    assert len(lines) == 4  # tổ 16, 15, 17 and the health station are in the demo member's charge
    assert all(line.startswith("• Chi bộ") for line in lines)


async def test_secretary_sees_their_cell_and_cannot_see_the_ward(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(SECRETARY, "/tiendo 2023")
    text = replies[0].text or ""
    assert text.startswith(t("status.header", "vi", cell="Chi bộ tổ 16", year=2023))
    assert t("status.quota", "vi", admitted=2, quota=1, phrase="đạt 200 %, vượt 100 %") in text
    assert t("status.deadlines_header", "vi") in text
    refused = await demo_bot.say(SECRETARY, "/tonghop")
    assert refused[0].text == t("error.summary_not_for_secretary", "vi")


async def test_bad_year_is_explained(demo_bot: LocalBot) -> None:
    for typed in ("hai nghìn", "1999", "2099"):
        replies = await demo_bot.say(SECRETARY, f"/tiendo {typed}")
        assert replies[0].text == t("status.bad_year", "vi", value=typed, command="tiendo", example=2025)
    replies = await demo_bot.say(ADMIN, "/tonghop năm ngoái")
    assert replies[0].text == t("status.bad_year", "vi", value="năm ngoái", command="tonghop", example=2025)
