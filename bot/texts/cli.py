"""What the `chibo` command prints for the person setting up the ward."""

MESSAGES: dict[str, dict[str, str]] = {
    "cli.schema_ready": {"vi": "Cơ sở dữ liệu đã sẵn sàng: {url}", "en": "Database ready: {url}"},
    "cli.init_needs_committee": {
        "vi": "chưa có đảng bộ nào: chạy lại với --committee \"Đảng bộ phường …\" "
              "[--superior \"Thành ủy …\"]",
        "en": "no committee yet: run again with --committee \"…\" [--superior \"…\"]",
    },
    "cli.wards_ready": {"vi": "Cơ sở dữ liệu có {count} đảng bộ.", "en": "The database holds {count} wards."},
    "cli.province_ready": {
        "vi": "Cấp tỉnh: {name}. Thêm từng đảng bộ: chibo init --committee \"Đảng bộ phường …\"",
        "en": "Province: {name}. Add each ward: chibo init --committee \"…\""},
    "cli.committee_created": {"vi": "Đã tạo: {name} (cấp trên: {superior})",
                              "en": "Created: {name} (superior: {superior})"},
    "cli.committee_exists": {"vi": "Đảng bộ: {name} (cấp trên: {superior})",
                             "en": "Committee: {name} (superior: {superior})"},
    "cli.report_no_folder": {"vi": "không có thư mục {path}: tạo thư mục trước rồi chạy lại",
                             "en": "no folder {path}: create it first, then run again"},
    "cli.cannot_read": {"vi": "không đọc được tệp {path}: {reason}",
                        "en": "cannot read {path}: {reason}"},
    "cli.import_rejected": {
        "vi": "chibo: tệp {path} bị từ chối, không có gì thay đổi ({count} lỗi):",
        "en": "chibo: {path} was refused, nothing changed ({count} problems):",
    },
    "cli.set_bot_username": {
        "vi": "(Đặt telegram.bot_username trong tệp cấu hình để có liên kết đầy đủ.)",
        "en": "(Set telegram.bot_username in the config file to get a complete link.)",
    },
    "cli.demo_written": {
        "vi": "Đã tạo đảng bộ mẫu trong {url}: {cells} chi bộ, {members} đảng viên, "
              "{candidates} quần chúng/hồ sơ, {meetings} buổi sinh hoạt, {users} người dùng.",
        "en": "Demo ward written to {url}: {cells} cells, {members} members, "
              "{candidates} candidates, {meetings} meetings, {users} users.",
    },
    "cli.run.already_serving": {
        "vi": "một chibo run khác (tiến trình {pid}) đang phục vụ {url}; một tệp SQLite chỉ một "
              "tiến trình được dùng. Dừng tiến trình kia trước, hoặc dùng PostgreSQL để chạy hai "
              "máy (một máy dự phòng: xem README, mục \"Two instances\")",
        "en": "another chibo run (process {pid}) already serves {url}; an SQLite file is served by "
              "one process only. Stop that one first, or use PostgreSQL to run a standby (README, "
              "\"Two instances\")",
    },
    "cli.token_missing": {
        "vi": "token: chưa có kênh nào; đặt CHIBO_ZALO_TOKEN (hoặc zalo.token_file) cho Zalo, "
              "và/hoặc CHIBO_TELEGRAM_TOKEN (hoặc telegram.token_file) cho Telegram — "
              "tệp token nằm ngoài kho mã",
        "en": "token: no channel configured; set CHIBO_ZALO_TOKEN (or zalo.token_file) for Zalo "
              "and/or CHIBO_TELEGRAM_TOKEN (or telegram.token_file) for Telegram — token files "
              "live outside the repository",
    },
    "cli.zalo_webhook_secret_missing": {
        "vi": "zalo.webhook_secret_file: cần một mã bí mật 8–256 ký tự cho webhook Zalo "
              "(hoặc biến môi trường CHIBO_ZALO_WEBHOOK_SECRET)",
        "en": "zalo.webhook_secret_file: a Zalo webhook secret of 8-256 characters is required "
              "(or the CHIBO_ZALO_WEBHOOK_SECRET environment variable)",
    },
    "cli.webhook_secret_missing": {
        "vi": "webhook.secret_token_file: cần một mã bí mật cho webhook "
              "(hoặc biến môi trường CHIBO_WEBHOOK_SECRET)",
        "en": "webhook.secret_token_file: a webhook secret is required "
              "(or the CHIBO_WEBHOOK_SECRET environment variable)",
    },
}
