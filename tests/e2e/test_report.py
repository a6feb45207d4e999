"""/baocao through the real bot on the demo ward: the paragraph, the charts and the workbook on
Telegram (uploads); on Zalo the paragraph, the charts by URL and links that work until they expire."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook

from bot.demo.ward import DEMO_USERS
from bot.domain.channels import TELEGRAM
from bot.fileshare import FileShareServer
from bot.sandbox.local import LocalBot, ManualClock
from bot.texts import t

ADMIN, COMMITTEE, SECRETARY = DEMO_USERS["admin"], DEMO_USERS["committee"], DEMO_USERS["secretary"]
PARAGRAPH = ("Năm 2023, Đảng bộ kết nạp được 45 đảng viên, đạt 104,65 % chỉ tiêu Thành ủy "
             "giao (43 đảng viên), vượt 4,65 %; bằng 375 % so với cùng kỳ năm 2022 (12 đảng viên).")
PNG = b"\x89PNG\r\n\x1a\n"
LINK = re.compile(r"(http://\S+)")


@pytest.fixture
async def file_server(demo_bot: LocalBot) -> AsyncIterator[FileShareServer]:
    """The bot's file server on a free local port, as `chibo run` starts it with files.public_url."""
    assert demo_bot.app is not None
    share = demo_bot.app.runtime.file_share
    server = FileShareServer(share, listen="127.0.0.1", port=0, url_path="files")
    await server.start()
    share.public_url = server.url
    try:
        yield server
    finally:
        share.public_url = ""
        await server.stop()


def _workbook_figures(data: bytes) -> tuple[list[str], object]:
    wb = load_workbook(io.BytesIO(data))
    admitted = next(r[1].value for r in wb["Tổng hợp"].iter_rows(min_row=5)
                    if r[0].value == "Kết nạp đảng viên trong năm")
    return wb.sheetnames, admitted


async def test_baocao_delivers_paragraph_charts_and_workbook(
    demo_bot: LocalBot, file_server: FileShareServer, clock: ManualClock,
) -> None:
    replies = await demo_bot.say(ADMIN, "/baocao 2023")
    texts = [m.text or "" for m in replies]
    assert texts[0] == t("report.working", "vi", year=2023)
    assert texts[1].startswith(PARAGRAPH)
    if demo_bot.channel == TELEGRAM:
        photos = [m for m in replies if m.kind == "photo"]
        assert [m.text for m in photos] == [
            t("report.chart.caption.quota", "vi", year=2023),
            t("report.chart.caption.months", "vi", year=2023, last=2022),
            t("report.chart.caption.funnel", "vi")]
        assert all(m.file is not None and m.file.data.startswith(PNG) for m in photos)
        assert all(m.message["photo"][0]["width"] == 1080 for m in photos)
        documents = [m for m in replies if m.kind == "document"]
        assert len(documents) == 1 and documents[0].file is not None
        assert documents[0].file.filename == "bao-cao-2023.xlsx"
        assert _workbook_figures(documents[0].file.data) == (
            ["Tổng hợp", "Từng chi bộ", "Quần chúng", "Sinh hoạt", "Ghi chú"], 45)
        return
    # Zalo: the three charts by URL, then one message listing every link
    photos = [m.photo for m in replies if m.photo]
    assert len(photos) == 3 and all(p.startswith(file_server.url + "/") for p in photos)
    links = LINK.findall(texts[-1])
    assert texts[-1].split("\n")[0] == t("report.links_header", "vi", until="10:00 29/11/2026")  # 24 h on
    assert len(links) == 4 and links[:3] == photos and links[3].endswith("/bao-cao-2023.xlsx")
    async with httpx.AsyncClient() as http:
        for url in photos:
            got = await http.get(url)
            assert got.status_code == 200 and got.content.startswith(PNG)
        got = await http.get(links[3])
        assert got.status_code == 200 and _workbook_figures(got.content)[1] == 45
        token = links[3].split("/")[-2]
        forged = links[3].replace(token, token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))
        assert (await http.get(forged)).status_code == 404
        clock.now += timedelta(hours=24)
        expired = await http.get(links[3])
        assert expired.status_code == 410 and "hết hạn" in expired.text


async def test_committee_member_gets_their_cells_and_a_bad_year_is_explained(
    demo_bot: LocalBot, file_server: FileShareServer,
) -> None:
    replies = await demo_bot.say(COMMITTEE, "/baocao 2023")
    paragraph = replies[1].text or ""
    assert paragraph.startswith("Năm 2023, 4 chi bộ (") and "Đảng bộ" not in paragraph
    refused = await demo_bot.say(SECRETARY, "/baocao 1999")
    assert refused[0].text == t("status.bad_year", "vi", value="1999", command="baocao", example=2025)


async def test_zalo_without_a_public_address_says_what_to_configure(demo_bot: LocalBot) -> None:
    replies = await demo_bot.say(SECRETARY, "/baocao 2023")
    assert (replies[1].text or "").startswith("Năm 2023, Chi bộ tổ 16 kết nạp được 2 đảng viên, đạt 200 %")
    if demo_bot.channel == TELEGRAM:  # uploads need no address
        assert [m.kind for m in replies[2:]] == ["photo", "photo", "photo", "document"]
    else:
        assert replies[-1].text == t("report.no_public_url", "vi", year=2023)
        assert not any(m.photo for m in replies)
