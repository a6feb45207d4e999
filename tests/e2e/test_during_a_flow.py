"""What can be asked in the middle of a flow: /tiendo, /tonghop and /trogiup are answered, and the
pending question follows with its buttons; the flow goes on where it was. End to end, both channels."""

from __future__ import annotations

from bot.demo.ward import DEMO_USERS
from bot.sandbox.local import LocalBot
from bot.sandbox.records import SentMessage
from bot.texts import t

SECRETARY, COMMITTEE = DEMO_USERS["secretary"], DEMO_USERS["committee"]


def _texts(replies: list[SentMessage]) -> list[str]:
    return [m.text or "" for m in replies]


def _resumed(question: SentMessage, flow: str) -> str:
    return t("flow.resume", "vi", flow=t(f"flow.name.{flow}", "vi")) + "\n\n" + (question.text or "")


async def test_progress_and_help_during_a_report_then_the_question_again(demo_bot: LocalBot) -> None:
    await demo_bot.say(SECRETARY, "/ungvien")
    await demo_bot.say(SECRETARY, "Nguyễn Thị Mai")
    [gender] = await demo_bot.say(SECRETARY, "12/3/1998")

    during = await demo_bot.say(SECRETARY, "/tiendo 2023")
    *progress, again = during
    assert again.text == _resumed(gender, "ungvien")
    assert again.button_texts == gender.button_texts  # the same buttons, pressable
    help_replies = await demo_bot.say(SECRETARY, "/trogiup")
    assert help_replies[0].text is not None and help_replies[0].text.startswith(
        t("help.header", "vi", role=t("role.secretary", "vi")))
    assert help_replies[-1].text == _resumed(gender, "ungvien")

    # The flow goes on where it was: the gender question takes its answer.
    [background] = await demo_bot.press(SECRETARY, t("gender.female", "vi"))
    assert background.text == t("uv.ask.background", "vi", name="Nguyễn Thị Mai")
    assert _texts(await demo_bot.say(SECRETARY, "/huy")) == [t("cancelled", "vi")]

    # What /tiendo said mid-flow is what it says on its own.
    assert _texts(await demo_bot.say(SECRETARY, "/tiendo 2023")) == _texts(progress)
    assert "Chi bộ tổ 16" in (progress[0].text or "")


async def test_ward_summary_during_quiet_hours_then_the_question_again(demo_bot: LocalBot) -> None:
    await demo_bot.say(COMMITTEE, "/nhacnho")
    [question] = await demo_bot.press(COMMITTEE, t("nn.button.quiet", "vi"))
    *summary, again = await demo_bot.say(COMMITTEE, "/tonghop")
    assert summary and "tổng hợp năm 2026" in (summary[0].text or "")
    assert again.text == _resumed(question, "nhacnho")
    assert again.button_texts == question.button_texts

    [end] = await demo_bot.say(COMMITTEE, "22")
    assert end.text == t("nn.ask_quiet_end", "vi", start="22 giờ tối")
    # A command that starts another flow is still refused, with the question again.
    busy = await demo_bot.say(COMMITTEE, "/moi")
    assert _texts(busy) == [t("flow.busy", "vi", flow=t("flow.name.nhacnho", "vi"), command="/moi"),
                            end.text or ""]
