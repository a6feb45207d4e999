"""The `chibo` command: set up a ward, import it, invite people, run the bot, or try it locally.

Every subcommand takes --config FILE (default ./chibo.toml or $CHIBO_CONFIG) and --db URL-or-PATH.
Bad configuration or input ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, Settings, load_settings
from bot.domain.dates import parse_date
from bot.domain.errors import DomainError
from bot.domain.invites import format_code
from bot.domain.roles import Role
from bot.logging_setup import register_secret, setup_logging
from bot.store.db import Database
from bot.store.schema import upgrade_schema
from bot.texts import t

EXIT_USAGE = 2
EXIT_TROUBLE = 1  # routine trouble around chibo (database, disk, network): one line, see bot.trouble
DEFAULT_TRY_DB = "chibo-demo.db"
# `chibo try --channel zalo` has a demo ward of its own, whose people are registered on Zalo.
DEFAULT_TRY_DB_ZALO = "chibo-demo-zalo.db"

log = logging.getLogger("chibo")


class UsageError(Exception):
    """A command-line mistake: printed as one line, exit code 2."""


def _print(text: str) -> None:
    print(text, flush=True)


async def _open_db(settings: Settings) -> Database:
    """The database with its schema brought up to date (every command may be the first one run)."""
    db = Database(settings.database_url)
    try:
        await upgrade_schema(db)
    except BaseException:
        await db.dispose()  # its worker thread would outlive the event loop otherwise
        raise
    return db


async def _open_db_read_only(settings: Settings) -> Database:
    """The database opened for reading only (`remind --dry-run`): works on a read-only file
    system or a backup copy, and proves by construction that nothing is written."""
    from sqlalchemy.exc import OperationalError

    from bot.store.schema import check_schema

    for mode in ("ro", "immutable"):  # immutable: when even the WAL index cannot be created
        db = Database(settings.database_url, read_only=mode)
        try:
            await check_schema(db)
            return db
        except OperationalError as exc:
            await db.dispose()
            if mode == "immutable" or not db.is_sqlite or "unable to open" not in str(exc):
                raise
        except BaseException:
            await db.dispose()
            raise
    raise RuntimeError("unreachable: the last mode re-raises")


# --- init ------------------------------------------------------------------------------------
async def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.setup import set_up_ward

    db = await _open_db(settings)
    try:
        result = await set_up_ward(db, committee_name=args.committee, superior_name=args.superior,
                                   actor_label="cli", province_name=args.province)
    finally:
        await db.dispose()
    lang = settings.general.language
    _print(t("cli.schema_ready", lang, url=_safe_url(settings.database_url)))
    if args.province:
        _print(t("cli.province_ready", lang, name=args.province.strip()))
        if result.committee is None:
            return 0
    if result.committee is None and result.wards > 1:  # a province's database, upgraded
        _print(t("cli.wards_ready", lang, count=result.wards))
        return 0
    if result.committee is None:
        raise UsageError(t("cli.init_needs_committee", lang))
    key = "cli.committee_created" if result.created else "cli.committee_exists"
    _print(t(key, lang, name=result.committee.name, superior=result.committee.superior_name or "—"))
    return 0


def _cli_date(text: str | None, option: str, default: date) -> date:
    """A date typed on the command line (2026-10-01 or 01/10/2026), or a one-line usage error."""
    if not text:
        return default
    try:
        return parse_date(text, default)
    except DomainError:
        raise UsageError(
            f"{option}: expected a date such as 2026-10-01 or 01/10/2026, got {text!r}") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _safe_url(url: str) -> str:
    """The database URL without a password, for printing."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else url
    return url


# --- import ----------------------------------------------------------------------------------
async def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.importing import ImportRejected, import_cells, import_members, import_quotas
    from bot.texts.importing import describe_problem, describe_report

    lang = settings.general.language
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(t("cli.cannot_read", lang, path=path, reason=exc.strerror)) from None
    today = datetime.now(settings.tz).date()
    importer = {"cells": import_cells, "members": import_members, "quotas": import_quotas}[args.what]
    db = await _open_db(settings)
    try:
        report = await importer(db, data, actor_label="cli", today=today, committee=args.committee)
    except ImportRejected as exc:
        print(t("cli.import_rejected", lang, path=path, count=len(exc.problems)), file=sys.stderr)
        for problem in exc.problems:
            print("  " + describe_problem(problem, lang), file=sys.stderr)
        return EXIT_USAGE
    finally:
        await db.dispose()
    _print(describe_report(report, lang))
    return 0


# --- invite ----------------------------------------------------------------------------------
async def cmd_invite(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runner import channel_tokens
    from bot.services.onboarding import create_invite
    from bot.texts.onboarding import invite_text

    lang = settings.general.language
    db = await _open_db(settings)
    try:
        created = await create_invite(
            db, settings, role=Role(args.role), cell_names_=args.cell or [],
            note=args.note or "", now=datetime.now(UTC), actor_label="cli",
            committee_name=args.committee,
        )
    finally:
        await db.dispose()
    # What to send on each channel this deployment serves (both, before any token is set).
    channels = list(channel_tokens(settings)) or ["zalo", "telegram"]
    _print(invite_text(role=created.role, cell_names=created.cell_names, code=created.code,
                       expires_on=created.expires_at.astimezone(settings.tz).date(), channels=channels,
                       bot_username=settings.telegram.bot_username, lang=lang))
    if "telegram" in channels and not settings.telegram.bot_username:
        _print(t("cli.set_bot_username", lang))
    log.debug("invite created: %s", format_code(created.code)[:2] + "…")
    return 0


# --- demo ------------------------------------------------------------------------------------
async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo.ward import DemoWardError
    from bot.demo.write import write_demo_ward

    lang = settings.general.language
    today = _cli_date(args.today, "--today", datetime.now(settings.tz).date())
    db = await _open_db(settings)
    try:
        summary = await write_demo_ward(db, today=today, scale=args.scale, wards=args.wards)
    except (DemoWardError, ValueError) as exc:  # a non-empty database, a date before 2024
        raise UsageError(str(exc)) from None
    finally:
        await db.dispose()
    _print(t("cli.demo_written", lang, url=_safe_url(settings.database_url), cells=summary.cells,
             members=summary.members, candidates=summary.candidates, meetings=summary.meetings,
             users=summary.users))
    return 0


# --- run -------------------------------------------------------------------------------------
def _webhook_secrets(settings: Settings, channels: list[str], lang: str) -> tuple[str, str]:
    """The secret each served webhook checks; a missing one is a configuration error."""
    secrets = {"telegram": "", "zalo": ""}
    if "telegram" in channels:
        secrets["telegram"] = settings.webhook_secret() or ""
        if not secrets["telegram"]:
            raise ConfigError(t("cli.webhook_secret_missing", lang))
    if "zalo" in channels:
        secrets["zalo"] = settings.zalo_webhook_secret() or ""
        if not 8 <= len(secrets["zalo"]) <= 256:
            raise ConfigError(t("cli.zalo_webhook_secret_missing", lang))
    for secret in secrets.values():
        if secret:
            register_secret(secret)
    return secrets["telegram"], secrets["zalo"]


async def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runner import channel_tokens, serve_while_leading
    from bot.standby import AlreadyServing, leadership_for

    lang = settings.general.language
    tokens = channel_tokens(settings)
    if not tokens:
        raise ConfigError(t("cli.token_missing", lang))
    for token in tokens.values():
        register_secret(token)
    telegram_secret, zalo_secret = (_webhook_secrets(settings, list(tokens), lang) if args.webhook
                                    else ("", ""))
    db = await _open_db(settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    # PostgreSQL: serve while leading, stand by otherwise, again and again; SQLite: serve alone.
    leadership = leadership_for(settings)
    try:
        while await leadership.acquire(stopping):
            await serve_while_leading(settings, db, tokens, leadership, stopping, webhook=args.webhook,
                                      telegram_secret=telegram_secret, zalo_secret=zalo_secret,
                                      version=__version__)
            if stopping.is_set():
                break
    except AlreadyServing as exc:
        raise UsageError(t("cli.run.already_serving", lang, pid=exc.args[0],
                           url=_safe_url(settings.database_url))) from None
    finally:
        await leadership.close()
        await db.dispose()
    return 0


# --- remind --------------------------------------------------------------------------------
async def cmd_remind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.reminders import scheduled_moment, sweep
    from bot.texts.reminders import describe_sweep

    as_of = _cli_date(args.as_of, "--as-of", datetime.now(settings.tz).date())
    db = await (_open_db_read_only(settings) if args.dry_run else _open_db(settings))
    try:
        # A dry run looks at the date as the 08:00 sweep would; a real run queues for delivery now.
        now = scheduled_moment(as_of, settings) if args.dry_run else datetime.now(UTC)
        result = await sweep(db, settings, as_of=as_of, now=max(now, scheduled_moment(as_of, settings)),
                             dry_run=args.dry_run)
        _print(describe_sweep(result, settings, dry_run=args.dry_run))
    finally:
        await db.dispose()
    return 0


# --- report --------------------------------------------------------------------------------
async def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.roles import Actor
    from bot.reports.bundle import build_report_files
    from bot.services.reports import year_report

    lang = settings.general.language
    today = _cli_date(args.today, "--today", datetime.now(settings.tz).date())
    year = args.year or today.year
    if not 2000 <= year <= today.year:
        raise UsageError(f"--year: expected a year from 2000 to {today.year}, got {year}")
    out = Path(args.out or f"bao-cao-{year}.xlsx")
    charts = Path(args.charts) if args.charts else None
    for folder in (out.parent, charts):
        if folder is not None and not folder.is_dir():
            raise UsageError(t("cli.report_no_folder", lang, path=folder))
    db = await _open_db_read_only(settings)  # a report changes nothing, and works on a backup copy
    try:
        report = await year_report(db, Actor(user_id=0, role=Role.ADMIN, display_name="cli"), year=year,
                                   today=today, settings=settings, cell_names=args.cell)
    finally:
        await db.dispose()
    files = build_report_files(report, settings, datetime.now(UTC))
    _print(files.paragraph)
    out.write_bytes(files.workbook)
    _print(t("report.cli_written", lang, path=out))
    for chart in files.charts if charts else []:
        path = charts / chart.name  # type: ignore[operator]
        path.write_bytes(chart.png)
        _print(t("report.cli_written", lang, path=path))
    return 0


# --- backup / restore ----------------------------------------------------------------------
def _pg_url_for_tools(url: str) -> str:
    """postgresql://user@host:port/db: what pg_dump takes, without the password (never printed)."""
    rest = url.split("://", 1)[1]
    if "@" in rest:
        creds, host = rest.rsplit("@", 1)
        rest = f"{creds.split(':', 1)[0]}@{host}"
    return f"postgresql://{rest}"


def _sqlite_file(settings: Settings) -> Path | None:
    from bot.trouble import sqlite_path

    return sqlite_path(settings.database_url)


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import copy_database

    lang = settings.general.language
    target = Path(args.file)
    source = _sqlite_file(settings)
    if source is None:
        url = _pg_url_for_tools(settings.database_url)
        raise UsageError(t("cli.backup.pg_dump", lang,
                           command=f"pg_dump --format=custom --file={target} '{url}'"))
    if not source.is_file():
        raise UsageError(t("cli.backup.no_database", lang, path=source))
    if target.exists():
        raise UsageError(t("cli.backup.exists", lang, path=target))
    await asyncio.to_thread(copy_database, source, target)
    _print(t("cli.backup.done", lang, source=source, target=target,
             size=max(1, target.stat().st_size // 1024)))
    return 0


async def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import NotABackup, restore_database

    lang = settings.general.language
    backup = Path(args.file)
    target = _sqlite_file(settings)
    if target is None:
        url = _pg_url_for_tools(settings.database_url)
        raise UsageError(t("cli.restore.pg_restore", lang,
                           command=f"pg_restore --clean --if-exists --no-owner --dbname='{url}' {backup}"))
    if not backup.is_file():
        raise UsageError(t("cli.restore.missing", lang, path=backup))
    try:
        kept = await asyncio.to_thread(restore_database, backup, target, datetime.now(settings.tz))
    except NotABackup as exc:
        raise UsageError(t("cli.restore.not_a_backup", lang, path=backup, reason=exc)) from None
    db = await _open_db(settings)  # a backup from an older chibo gets this one's schema
    await db.dispose()
    _print(t("cli.restore.done", lang, source=backup, target=target))
    if kept is not None:
        _print(t("cli.restore.kept", lang, path=kept))
    return 0


# --- try -------------------------------------------------------------------------------------
async def cmd_try(args: argparse.Namespace, settings: Settings) -> int:
    from bot.sandbox.terminal import run_terminal_chat

    today = _cli_date(args.today, "--today", datetime.now(settings.tz).date()) if args.today else None
    return await run_terminal_chat(settings, as_user=args.as_user, fresh=args.fresh,
                                   channel=args.channel, today=today)


# --- plumbing --------------------------------------------------------------------------------
COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], Awaitable[int]]] = {
    "init": cmd_init,
    "import": cmd_import,
    "invite": cmd_invite,
    "demo": cmd_demo,
    "run": cmd_run,
    "try": cmd_try,
    "remind": cmd_remind,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "report": cmd_report,
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE",
                        help="settings file (default ./chibo.toml, or $CHIBO_CONFIG)")
    common.add_argument("--db", metavar="URL_OR_PATH",
                        help="database to use instead of the configured one (a file path, "
                             "sqlite:///FILE or postgresql://…)")
    common.add_argument("--log-level", default="WARNING",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="how much to log on stderr (default WARNING); no level logs the "
                             "token or personal data")

    parser = argparse.ArgumentParser(
        prog="chibo", description="Trợ lý chi bộ — a Telegram assistant for a ward party committee.",
    )
    parser.add_argument("--version", action="version", version=f"chibo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", parents=[common], help="create or upgrade the database and the ward",
                       description="Create or upgrade the database schema (safe to run twice) "
                                   "and create or rename the ward committee.")
    p.add_argument("--committee", help='e.g. "Đảng bộ phường Hoàng Văn Thụ"')
    p.add_argument("--superior", help='e.g. "Thành ủy Thái Nguyên"')
    p.add_argument("--province", help='one deployment for many wards: the province above them, '
                                      'e.g. "Thành ủy Thái Nguyên"; then --committee adds a ward')

    p = sub.add_parser("import", parents=[common], help="import cells, members or quotas from a CSV file",
                       description="Import a UTF-8 CSV file with a header row. A file with any "
                                   "bad line is refused whole; re-running updates, never duplicates.")
    p.add_argument("what", choices=["cells", "members", "quotas"])
    p.add_argument("--committee", help="the ward to import into (needed when there are several)")
    p.add_argument("file", help="cells: name,kind[,quota]; members: cell,full_name,status[,admitted_on]"
                               "[,joined_on][,left_on][,left_reason]; quotas: cell,year,quota[,set_by]")

    p = sub.add_parser("invite", parents=[common], help="print a one-time invite code and link",
                       description="Create a one-time invite code (stored hashed; expires).")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.add_argument("--cell", action="append",
                   help="the cell (secretary: exactly one; committee: repeat for each cell)")
    p.add_argument("--note", help="who the invite is for (kept with the invite)")
    p.add_argument("--committee", help="the ward the invitee joins (needed when there are several)")

    p = sub.add_parser("demo", parents=[common], help="write a generated demo ward into a database",
                       description="Write a deterministic demo ward (32 cells, ~1,700 members, "
                                   "admissions, candidates, meetings, demo users) into an empty DB.")
    p.add_argument("--scale", type=_positive, default=1.0, help="size multiplier (benchmarks)")
    p.add_argument("--wards", type=int, default=1,
                   help="a province with this many wards (1–5), the seed's ward first")
    p.add_argument("--today", help="the date the demo is generated for (default: today)")

    p = sub.add_parser("run", parents=[common], help="run the bot on Zalo and/or Telegram",
                       description="Run the bot on every configured channel (a Zalo token, a "
                                   "Telegram token, or both) in one process: long polling by "
                                   "default, or webhook servers.")
    p.add_argument("--webhook", action="store_true",
                   help="serve webhooks (settings in [webhook] and [zalo]) instead of polling")

    p = sub.add_parser("remind", parents=[common],
                       help="decide reminders now, or show what a sweep would send",
                       description="Run the reminder sweep for a date: decide what is due and queue it "
                                   "for the running bot to deliver. --dry-run only prints to whom, "
                                   "which rule and why, and changes nothing.")
    p.add_argument("--dry-run", action="store_true", help="print, do not queue")
    p.add_argument("--as-of", metavar="DATE", help="the date to sweep (default: today), e.g. 2026-10-01")

    p = sub.add_parser("report", parents=[common], help="write the year's report: workbook and charts",
                       description="Write the year's report as an Excel workbook (and the charts as PNG "
                                   "files), print the paragraph for the báo cáo. Reads the database only.")
    p.add_argument("--year", type=int, help="the year (default: this year)")
    p.add_argument("--cell", action="append", help="only this cell (repeat for several), e.g. \"Tổ 16\"")
    p.add_argument("--out", help="the workbook to write (default: bao-cao-YEAR.xlsx)")
    p.add_argument("--charts", metavar="DIR", help="also write the charts as PNG files into DIR")
    p.add_argument("--today", help="the date the report is made on (default: today)")

    p = sub.add_parser("backup", parents=[common], help="copy the database to a file, bot running or not",
                       description="SQLite: an online copy of the database into FILE (a new file), "
                                   "safe while the bot runs. PostgreSQL: prints the pg_dump command.")
    p.add_argument("file", help="the backup file to write (must not exist yet)")

    p = sub.add_parser("restore", parents=[common], help="replace the database by a backup",
                       description="SQLite: checks FILE is an intact chibo backup, keeps the current "
                                   "database beside it (….before-restore-TIME), copies FILE in and "
                                   "upgrades its schema. Stop the bot first. PostgreSQL: prints the "
                                   "pg_restore command.")
    p.add_argument("file", help="the backup file to restore")

    p = sub.add_parser("try", parents=[common],
                       help="chat with the bot in this terminal, no Telegram needed",
                       description="Start a local Bot API emulator and the real bot on a demo "
                                   f"database (default ./{DEFAULT_TRY_DB}, created on first use), "
                                   "and chat as a demo user. Reads lines from stdin when piped.")
    p.add_argument("--as", dest="as_user", default="secretary",
                   help="admin, committee, secretary, or a demo user's name or id")
    p.add_argument("--fresh", action="store_true", help="forget earlier conversations first")
    p.add_argument("--channel", choices=["telegram", "zalo"], default="telegram",
                   help="zalo: see exactly what a Zalo user sees (plain text, numbered choices)")
    p.add_argument("--today", help="play on this date (YYYY-MM-DD; the clock stays at 9:00 that day), "
                                   "so a scripted session prints the same every time")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.log_level)
    lang = "vi"
    database_url: str | None = None
    try:
        # `chibo try` plays on a demo database of its own, never on the configured real one.
        try_db = DEFAULT_TRY_DB_ZALO if getattr(args, "channel", "") == "zalo" else DEFAULT_TRY_DB
        db = args.db or (try_db if args.command == "try" else None)
        settings = load_settings(args.config, db)
        lang, database_url = settings.general.language, settings.database_url
        return asyncio.run(COMMANDS[args.command](args, settings))
    except ConfigError as exc:
        print(f"chibo: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UsageError as exc:
        print(f"chibo: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DomainError as exc:
        from bot.handlers.common import error_text

        prefix = "invite." if args.command == "invite" else ""
        print(f"chibo: {error_text(exc, lang, prefix=prefix)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.trouble import explain

        line = explain(exc, database_url, lang)
        if line is None:
            raise  # not routine: a bug, whose traceback is what a report needs
        print(f"chibo: {line}", file=sys.stderr)
        return EXIT_TROUBLE
