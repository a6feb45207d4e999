"""What `chibo` says about routine trouble around it: the database, the disk, the Bot API.

One line each: what is wrong, then what to do.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.trouble.pg_unreachable": {
        "vi": "không kết nối được PostgreSQL tại {where} ({reason}): hãy kiểm tra máy chủ cơ sở "
              "dữ liệu đang chạy và database.url đúng máy, đúng cổng.",
        "en": "cannot reach PostgreSQL at {where} ({reason}): check that the database server is "
              "running and that database.url names the right host and port.",
    },
    "cli.trouble.pg_refused": {
        "vi": "PostgreSQL tại {where} từ chối kết nối: {reason}. Hãy kiểm tra người dùng, mật khẩu "
              "và tên cơ sở dữ liệu trong database.url.",
        "en": "PostgreSQL at {where} refused the connection: {reason}. Check the user, password and "
              "database name in database.url.",
    },
    "cli.trouble.folder_missing": {
        "vi": "thư mục {folder} không tồn tại: hãy tạo nó (mkdir -p {folder}) hoặc sửa database.url.",
        "en": "the folder {folder} does not exist: create it (mkdir -p {folder}) or change database.url.",
    },
    "cli.trouble.read_only": {
        "vi": "không ghi được vào cơ sở dữ liệu trong {folder} (hệ thống tệp chỉ đọc hoặc thiếu quyền "
              "ghi): hãy cho phép ghi vào thư mục và tệp, hoặc chọn chỗ khác trong database.url.",
        "en": "cannot write the database in {folder} (a read-only file system or no write "
              "permission): allow writing to the folder and file, or choose another database.url.",
    },
    "cli.trouble.disk_full": {
        "vi": "ổ đĩa chứa {folder} đã đầy: hãy giải phóng chỗ trống rồi chạy lại.",
        "en": "the disk holding {folder} is full: free some space and run again.",
    },
    "cli.trouble.newer_schema": {
        "vi": "cơ sở dữ liệu thuộc một phiên bản chibo mới hơn (phiên bản lược đồ {revision}), "
              "chibo {version} không đọc được: hãy cài phiên bản chibo mới hơn.",
        "en": "the database belongs to a newer chibo (schema revision {revision}), which chibo "
              "{version} cannot read: install the newer chibo.",
    },
    "cli.trouble.schema_outdated": {
        "vi": "cơ sở dữ liệu chưa được nâng cấp cho phiên bản chibo này: hãy chạy chibo init trước.",
        "en": "the database is not upgraded for this chibo yet: run chibo init first.",
    },
    "cli.trouble.not_a_database": {
        "vi": "{path} không phải cơ sở dữ liệu của chibo (tệp hỏng hoặc tệp khác): hãy kiểm tra "
              "database.url, hoặc khôi phục bản sao lưu bằng chibo restore.",
        "en": "{path} is not a chibo database (a damaged or unrelated file): check database.url, or "
              "bring back a backup with chibo restore.",
    },
    "cli.trouble.foreign_database": {
        "vi": "{path} là cơ sở dữ liệu của một chương trình khác (có bảng {tables}): chibo không "
              "ghi vào đó; hãy đặt database.url là một tệp mới.",
        "en": "{path} is another program's database (tables {tables}): chibo leaves it alone; set "
              "database.url to a new file.",
    },
    "cli.trouble.locked": {
        "vi": "cơ sở dữ liệu đang bị một tiến trình khác khóa quá lâu: hãy đợi tiến trình đó xong "
              "(hoặc dừng nó) rồi chạy lại.",
        "en": "the database stayed locked by another process: wait for it to finish (or stop it) "
              "and run again.",
    },
    "cli.trouble.bot_api_unreachable": {
        "vi": "không kết nối được Bot API ({reason}); thử lại sau {seconds} giây "
              "(kiểm tra mạng hoặc telegram.base_url; Ctrl+C để dừng).",
        "en": "cannot reach the Bot API ({reason}); retrying in {seconds} s "
              "(check the network or telegram.base_url; Ctrl+C to stop).",
    },
    "cli.trouble.token_rejected": {
        "vi": "Telegram từ chối token của bot: hãy kiểm tra CHIBO_TELEGRAM_TOKEN hoặc "
              "telegram.token_file (token lấy từ @BotFather).",
        "en": "Telegram rejected the bot token: check CHIBO_TELEGRAM_TOKEN or telegram.token_file "
              "(the token from @BotFather).",
    },
}

MESSAGES.update({
    "cli.backup.done": {
        "vi": "Đã sao lưu {source} vào {target} ({size} KB). Hãy cất bản sao ở máy khác.",
        "en": "Backed up {source} to {target} ({size} KB). Keep the copy on another machine.",
    },
    "cli.backup.exists": {
        "vi": "tệp {path} đã có: chibo không ghi đè; hãy chọn tên khác hoặc xóa tệp đó trước.",
        "en": "{path} exists: chibo does not overwrite it; choose another name or delete it first.",
    },
    "cli.backup.no_database": {
        "vi": "chưa có cơ sở dữ liệu tại {path}: không có gì để sao lưu (kiểm tra database.url).",
        "en": "there is no database at {path}: nothing to back up (check database.url).",
    },
    "cli.backup.pg_dump": {
        "vi": "với PostgreSQL, hãy sao lưu bằng công cụ của nó: {command} (mật khẩu lấy từ "
              "PGPASSWORD hoặc ~/.pgpass).",
        "en": "with PostgreSQL, back up with its own tool: {command} (the password comes from "
              "PGPASSWORD or ~/.pgpass).",
    },
    "cli.restore.pg_restore": {
        "vi": "với PostgreSQL, hãy dừng bot rồi khôi phục bằng công cụ của nó: {command} "
              "(mật khẩu lấy từ PGPASSWORD hoặc ~/.pgpass).",
        "en": "with PostgreSQL, stop the bot and restore with its own tool: {command} (the "
              "password comes from PGPASSWORD or ~/.pgpass).",
    },
    "cli.restore.not_a_backup": {
        "vi": "{path} không phải bản sao lưu chibo còn nguyên vẹn ({reason}): không có gì thay đổi.",
        "en": "{path} is not an intact chibo backup ({reason}): nothing was changed.",
    },
    "cli.restore.missing": {
        "vi": "không có tệp {path}: hãy kiểm tra đường dẫn của bản sao lưu.",
        "en": "there is no file {path}: check the backup's path.",
    },
    "cli.restore.done": {
        "vi": "Đã khôi phục {target} từ {source}.",
        "en": "Restored {target} from {source}.",
    },
    "cli.restore.kept": {
        "vi": "Dữ liệu trước khi khôi phục được giữ ở {path}.",
        "en": "The data as it was before the restore is kept in {path}.",
    },
})
