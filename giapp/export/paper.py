"""The paper layout of GB/T 9704-2012 as annual reports use it (shared/spec/paper-layout.md)."""

import math

MM = 72 / 25.4  # points per millimetre

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - TOP_MM - BOTTOM_MM  # 225
TEXT_WIDTH_PT = TEXT_WIDTH_MM * MM
TEXT_HEIGHT_PT = TEXT_HEIGHT_MM * MM
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
PAGE_NUMBER_GAP_MM = 7  # page number below the text area

SIZES = {"二号": 22, "三号": 16, "四号": 14, "五号": 10.5, "小五": 9}
TITLE_PT, BODY_PT, PAGE_NUMBER_PT = SIZES["二号"], SIZES["三号"], SIZES["四号"]

# The grid: 22 lines of 28 characters. Word stores the line pitch in twentieths of a point, so the
# pitch is the largest whole number of those that puts 22 lines in 225 mm: 579/20 = 28.95 pt.
LINE_PITCH_TWIPS = math.floor(TEXT_HEIGHT_PT * 20 / LINES_PER_PAGE)
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
CHAR_PITCH_PT = TEXT_WIDTH_PT / CHARS_PER_LINE  # 15.79 pt: 16 pt type set slightly condensed
# Word's character grid (w:docGrid w:charSpace, ECMA-376 §17.6.5): the pitch less the Normal style's
# size (三号), in 4096ths of a point, rounded down so that 28 pitches fit in 156 mm: -848, 15.793 pt.
# (GB/T 9704 templates made in Word carry -849: their text width is a twip narrower.)
GRID_CHAR_SPACE = math.floor((CHAR_PITCH_PT - BODY_PT) * 4096)
# Word text off the character grid is condensed in whole twentieths of a point, one more than the
# pitch needs (16 - 0.3 = 15.7 pt): LibreOffice reads the grid's pitch rounded down to whole
# twentieths and hundredths of a millimetre (15.73 pt), and leaves a line the width of 28 of those.
BODY_CONDENSE_TWIPS = math.floor((CHAR_PITCH_PT - BODY_PT) * 20) - 1
TABLE_PT = SIZES["小五"]  # every table, so that 四's 15 columns hold five-digit figures on one line
WIDE_TABLE_PT = TABLE_PT
WIDE_TABLE_COLS = 8  # wider tables print landscape in Excel
CELL_PADDING_PT = (3, 3, 2.5, 2.5)  # left, right, top, bottom
# a table cell's line: exactly this in the PDF and in Word, so that a table is as tall in both (and in
# LibreOffice and WPS, which would otherwise take the line from the font's own metrics)
CELL_LINE_PT = TABLE_PT * 1.35

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


def closing_offsets(name_width: float, date_width: float, char: float = CHAR_PITCH_PT) -> tuple[float, float]:
    """The signature block without a seal (GB/T 9704 §7.3.5.2): the distances of the organ's name and of
    the date from the right edge of the text. The name ends two characters from the edge and the date
    begins two characters right of the name's beginning; when the date, so placed, would end less than
    two characters from the edge, it ends two characters from the edge and the name moves left."""
    name_right = 2 * char
    date_right = name_width - date_width  # its start = the name's start + 2 characters
    if date_right < 2 * char:
        date_right = 2 * char
        name_right = date_right + date_width + 2 * char - name_width
    # a name longer than the line (it wraps, right-aligned): neither starts left of the text
    return (min(name_right, max(TEXT_WIDTH_PT - name_width, 0)), min(date_right, max(TEXT_WIDTH_PT - date_width, 0)))


def closing_indents(name_width: float, date_width: float, char: float = CHAR_PITCH_PT) -> tuple[float, float]:
    """Left indents of the organ's name and of the date, given their printed widths in points."""
    name_right, date_right = closing_offsets(name_width, date_width, char)
    return (max(TEXT_WIDTH_PT - name_right - name_width, 0), max(TEXT_WIDTH_PT - date_right - date_width, 0))
