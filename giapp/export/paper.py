"""The paper layout of GB/T 9704-2012 as annual reports use it (shared/spec/paper-layout.md)."""

MM = 72 / 25.4  # points per millimetre

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM  # 225
TEXT_WIDTH_PT = TEXT_WIDTH_MM * MM
LINES_PER_PAGE = 22
LINE_PITCH_PT = TEXT_HEIGHT_MM * MM / LINES_PER_PAGE  # about 29 pt
PAGE_NUMBER_GAP_MM = 7  # page number below the text area

SIZES = {"二号": 22, "三号": 16, "四号": 14, "五号": 10.5, "小五": 9}
TITLE_PT, BODY_PT, PAGE_NUMBER_PT = SIZES["二号"], SIZES["三号"], SIZES["四号"]
TABLE_PT, WIDE_TABLE_PT = SIZES["五号"], SIZES["小五"]
WIDE_TABLE_COLS = 8  # tables wider than this are set in 小五

# Font names by role, as Word and WPS know them.
WORD_FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "h1": "黑体",
    "h2": "楷体_GB2312",
    "table": "宋体",
    "page": "宋体",
    "latin": "Times New Roman",
}
ROLE_NAMES = {"title": "标题（小标宋）", "body": "正文（仿宋）", "h1": "一级标题（黑体）", "h2": "二级标题（楷体）",
              "table": "表格（宋体）", "page": "页码（宋体）", "latin": "数字（Times New Roman）"}


def closing_indents(name_width: float, date_width: float, char: float = SIZES["三号"]) -> tuple[float, float]:
    """Left indents of the organ's name (two characters from the right) and of the date (its first
    character two characters right of the name's first), given their printed widths in points."""
    name_left = max(TEXT_WIDTH_PT - 2 * char - name_width, 0)
    date_left = name_left + 2 * char
    if date_left + date_width > TEXT_WIDTH_PT:
        date_left = max(TEXT_WIDTH_PT - date_width, 0)
    return name_left, date_left
