"""The year's report rendered as files: the workbook (openpyxl), the charts (matplotlib) and the
bundle of both with the báo cáo paragraph, as `/baocao` and `chibo report` deliver them."""
