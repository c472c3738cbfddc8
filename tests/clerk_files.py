"""Word and Excel files made the way clerks make them: fixtures for importer tests.

Nothing here uses giapp (least of all giapp.export). Each file is built directly with python-docx
or openpyxl and laid out the way people lay out reports by hand: merged cells, odd numbering,
tables split in two, numbers typed as text with separators, units or full-width digits, and so on.
The importer is then tested against other people's templates, not only against our own exporter.

Public builders. Each writes ``path`` (a pathlib.Path) and returns it:

- ``example_docx(path)``: the example township report (小孟镇, 2021) as its Word file
- ``other_template_docx(path, data)``: another clerk's template, filled with a report JSON dict
- ``format_2019_docx(path)``: a report in the 2019 format (国办公开办函〔2019〕60号)
- ``official_layout_xlsx(path, data)``: an Excel workbook laid out like the official tables
- ``not_a_report_docx(path)``: a valid Word file about something else
- ``published_patterns_docx(path, data, older_row=False)``: a published report as a Word file,
  with the patterns real published reports print (``PUBLISHED_*``)

Facts that tests can rely on are module-level constants: ``BLANK_MARKED``, ``TOTAL_LEFT_BLANK``,
``FULLWIDTH_CELLS``, ``UNIT_CELLS`` and ``DASH_NUMBERED_ROWS`` (other_template_docx);
``FORMAT_2019_*`` (format_2019_docx); ``XLSX_SHEETS``, ``XLSX_TEXT_CELLS`` and
``XLSX_FIRST_TABLE_ROW`` (official_layout_xlsx).
"""

from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

# --------------------------------------------------------------------------------------------
# Facts about the generated files
# --------------------------------------------------------------------------------------------

S3_COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")
S4_GROUPS = ("review", "direct", "after_review")
S4_COLS = ("upheld", "corrected", "other", "pending", "total")

#: other_template_docx: cells printed as a dash or slash instead of 0. The figure is not given,
#: so the cell is blank, not 0. The mark is only written where data holds 0 or None.
BLANK_MARKED = {
    "s2.rules.issued": "/",
    "s2.rules.repealed": "/",
    "s2.rules.in_force": "/",
    "s3.r3_1.research": "—",
    "s3.r5_3.social": "—",
    "s4.direct.corrected": "—",
}

#: other_template_docx: rows whose 总计 cell is left blank (the detail rows r1 … r6_3).
_DETAIL_ROWS = ("r1", "r2", *(f"r3_{i}" for i in range(1, 9)), *(f"r4_{i}" for i in range(1, 4)),
                *(f"r5_{i}" for i in range(1, 6)), *(f"r6_{i}" for i in range(1, 4)))
TOTAL_LEFT_BLANK = tuple(f"s3.{row}.total" for row in _DETAIL_ROWS)

#: other_template_docx: cells written with full-width digits ("７０５").
FULLWIDTH_CELLS = ("s3.new.natural", "s3.r7.natural", "s4.review.upheld")

#: other_template_docx: cells with a unit after the number ("3件").
UNIT_CELLS = {"s3.new.commercial": "件", "s4.review.total": "件"}

#: other_template_docx: detail rows of 三 whose labels are numbered "1、" instead of "1.".
DASH_NUMBERED_ROWS = ("r4", "r5")

#: format_2019_docx: the organ, the year and 四、结转下年度继续办理 (the figures that carry on).
FORMAT_2019_ORGAN = "某某县某某镇人民政府"
FORMAT_2019_YEAR = 2020
FORMAT_2019_NEXT = {"s3.next.natural": 2, "s3.next.commercial": 0, "s3.next.research": 0, "s3.next.social": 0,
                    "s3.next.legal": 0, "s3.next.other": 0, "s3.next.total": 2}

#: published_patterns_docx: what the published report prints, as real ones do.
PUBLISHED_ORGAN = "平潭综合实验区管委会"
PUBLISHED_WEBSITE = "www.pingtan.gov.cn"
PUBLISHED_TYPO_ROW = ("r3_2", "2.其他法律行政止公开")  # 法规禁 missing, as in a real report
PUBLISHED_2019_ROW = ("normative", "规范性文件")  # the 2019 wording of 行政规范性文件
PUBLISHED_FEES = "5949.088667"  # 元 converted to 万元
PUBLISHED_HEADINGS = ("一、总体情况", "五、存在的主要问题及整改措施")  # 一 run into its first sentence
PUBLISHED_S6 = "无收取信息处理费情况。"

#: official_layout_xlsx: the sheet names, the first row of each table (rows 1 and 2 hold a
#: title and the organ's name), and the cells stored as text with full-width digits.
XLSX_SHEETS = ("二、主动公开", "三、依申请", "四、复议诉讼")
XLSX_FIRST_TABLE_ROW = 3
XLSX_TEXT_CELLS = ("s3.new.natural", "s3.r1.natural", "s4.review.upheld")

# --------------------------------------------------------------------------------------------
# Labels of the official tables (国办公开办函〔2021〕30号)
# --------------------------------------------------------------------------------------------

_S3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_S3_TOP = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried": "二、上年结转政府信息公开申请数量",
    "next": "四、结转下年度继续办理",
}
_S3_RESULTS = "三、本年度办理结果"
_S3_RESULTS_2021 = (
    ("r1", "（一）予以公开", ()),
    ("r2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("r3", "（三）不予公开", ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”",
                         "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
                         "属于行政执法案卷", "属于行政查询事项")),
    ("r4", "（四）无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作",
                         "补正后申请内容仍不明确")),
    ("r5", "（五）不予处理", ("信访举报投诉类申请", "重复申请", "要求提供公开出版物",
                         "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息")),
    ("r6", "（六）其他处理", ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                         "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                         "其他")),
    ("r7", "（七）总计", ()),
)
# The 2019 table: the same, except that （六）其他处理 is one row.
_S3_RESULTS_2019 = tuple((rid, label, () if rid == "r6" else items)
                         for rid, label, items in _S3_RESULTS_2021)

_S2_BLOCKS_2021 = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), (
        ("规章", ("s2.rules.issued", "s2.rules.repealed", "s2.rules.in_force")),
        ("行政规范性文件", ("s2.normative.issued", "s2.normative.repealed", "s2.normative.in_force")))),
    ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", ("s2.licensing",)),)),
    ("第二十条第（六）项", ("本年处理决定数量",), (
        ("行政处罚", ("s2.penalty",)),
        ("行政强制", ("s2.coercion",)))),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", ("s2.fees",)),)),
)

_S6_ITEMS = (
    "依据《政府信息公开信息处理费管理办法》收取信息处理费的情况",
    "本行政机关落实上级年度政务公开工作要点情况",
    "本行政机关人大代表建议和政协提案办理结果公开情况",
    "本行政机关年度政务公开工作创新情况",
    "本行政机关信息公开工作年度报告数据统计需要说明的事项",
    "本行政机关认为需要报告的其他事项",
    "本行政机关其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项",
)

# --------------------------------------------------------------------------------------------
# The example report's text, as printed (shared/examples/xiaomeng-2021-report.txt). Kinds:
# "p" body paragraph, "h1" 一、… heading, "h2" （一）… sub-heading, "p_goback" a paragraph that
# carries Word's hidden _GoBack bookmark, "table" where a table stands.
# --------------------------------------------------------------------------------------------

_XIAOMENG_ORGAN = "济宁市兖州区小孟镇人民政府"
_XIAOMENG_TITLE = "济宁市兖州区小孟镇人民政府2021年政府信息公开工作年度报告"
_XIAOMENG_ANNEX_TITLE = "济宁市兖州区小孟镇人民政府2021年政府信息公开情况统计表"
_XIAOMENG_ANNEX_NOTE = "（注：各子栏目数总数要等于总栏目数量）"

_XIAOMENG_BODY = (
    ('p', '本报告由济宁市兖州区小孟镇人民政府按照《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。'),
    ('p', '本报告内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分内容。'),
    ('p', '本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。本报告电子版可在“中国·兖州”政府门户网（www.yanzhou.gov.cn）查阅或下载。如对本报告有疑问，请与济宁市兖州区小孟镇人民政府联系（地址：济宁市兖州区小孟镇府前路49号，联系电话：0537-3842211）。'),
    ('h1', '一、总体情况'),
    ('p', '2021年来，在区委、区政府的正确领导下，根据上级部门相关要求，小孟镇围绕经济社会发展各项工作重点，强化组织领导，健全制度规范，坚决贯彻落实《中华人民共和国政府信息公开条例》要求，加大主动公开、政策解读、回应关切力度，严格规范公开内容，创新公开形式，突出公开重点，提高公开水平，不断深化政务信息公开工作。'),
    ('p', '健全制度规范，夯实公开基础。加强组织领导和人员队伍建设，完善相关政务公开制度，包括政务公开制度、依申请公开制度、重大行政决策公众参与制度、政务公开工作督查制度、政务公开工作考核制度、政务公开重大决策预公开等制度，确保再公开工作做到规范、高效、便民。进一步健全完善，规范了信息发布工作遵循的“谁审查、谁负责，谁发布、谁负责，先审查、后发布”和“涉密信息不上网，上网信息不涉密”的原则，为政府信息公开的准确性、权威性、完整性和时效性提供了制度保障。\xa0不定期在政府网站进行检查，通过微信群、电话与各部门及时沟通和指导工作。    '),
    ('p', '强化平台建设，增强公开能力。结合推进“互联网+政务服务”，全面推进镇级政府部门政务服务大厅集中办理业务。重点围绕统筹疫情防控和经济社会发展以及群众关切的医疗、卫生、养老等热点、办事创业的痛点难点，正面回应群众疑虑，积极探索适应基层特点的公开方式，同时不断充实和完善微信公众号“美丽小孟”的公开内容，进一步提高公众知晓率、拓展公开方式，强化指导监督，确保公开工作落到实处，推动解决实际问题。'),
    ('p_goback', '创新公开形式，提供便捷服务。打造政务公开“政务公开+政务服务”新模式，实现政务公开与村务公开有效衔接，不断提升基层政务公开的标准化、规范化、便利化水平。通过互联网、大厅公示栏，利用政务服务中心系统业务平台，微信应用、信息推送订阅、政策解读等功能，及时优化政府门户网站。强化硬件建设，在学习借鉴先进地区经验做法的基础上，推进基层政务公开专区、公开栏、宣传栏等建设，方便广大群众通过不同渠道获取政府信息。'),
    ('h2', '（一）主动公开情况'),
    ('p', '截止2021年12月31日，小孟镇在兖州政府网上公开政府信息 59条。其中公开文件类信息17条，工作动态类信息38条，其他类信息4条，通过“美丽小孟”微信公众号发布信息89条，通过网络问政和领导信箱等互动交流平台积极回应公众关切并解答群众诉求共16条。'),
    ('h2', '（二）依申请公开情况'),
    ('p', '2021年未收到政府信息公开申请。'),
    ('h2', '（三）政府信息管理情况'),
    ('p', '小孟镇人民政府高度重视政府信息公开保密审查工作，按照区委、区政府的要求，始终坚持将保密工作和业务工作同计划、同部署、同检查、同总结。专设保密工作领导小组，负责全镇的保密工作，做到主管领导负责抓，经办人员具体抓，严格落实信息公开保密责任制。对党政办、党建办、财政所、纪委等保密重点部门，保密工作领导小组对这些部门的保密工作进行不定期的检查督促，防止失密、泄密。秘密文件、内部资料的传递、回收、注销均严格按照上级有关要求办理。政府信息公开工作开展以来，我镇未发生失泄密事件。'),
    ('h2', '（四）政府信息公开平台建设情况'),
    ('p', '结合基层工作实际，针对具体服务事项，按固定公开、定期公开和随时公开，通过政务公开栏、政府网站予以公布，同时在为民服务大厅设置政务公开专区、设立咨询电话,对关系到社会民生相关政策，及时向社会公开征集意见和建议，有效提高了社会公众的参与度，提升了政务公开的透明度。规范政务新媒体运营，严格运维“美丽小孟”微信公众号，努力提高微信公众平台关注度，截至目前，平台粉丝量2505人，2021年全年共发布围绕党的十九届六中全会精神、疫情防控、综合治理等中心工作信息89篇，让民生焦点更加透明、让更多人享受到政务公开带来的便民与高效。'),
    ('h2', '（五）监督保障情况'),
    ('p', '2021年来，在区委、区政府的正确领导下，根据上级部门相关要求，小孟镇围绕经济社会发展各项工作重点，强化组织领导，健全制度规范，严格依法管理，强化监督检查，切实做好政府信息公开工作。2021年度，我镇政务公开机构设置组长1名，副组长2名，工作人员2名，每年进行业务培训4次，培训人员达到40余人。'),
    ('h1', '二、主动公开政府信息情况'),
    ('table', 's2'),
    ('h1', '三、收到和处理政府信息公开申请情况'),
    ('table', 's3'),
    ('h1', '四、政府信息公开行政复议、行政诉讼情况'),
    ('table', 's4'),
    ('h1', '五、存在的主要问题及改进情况'),
    ('p', '经认真剖析，我镇政务信息公开在更新总量、公开范围、公开形式、基础性工作等方面存在较多问题，具体如下：'),
    ('p', '（一）思想认识不足。政务信息公开透明，既有利于满足公众的知情权，也有利于实现公众对政府的监督，我镇对常态化做好政务信息公开的重要性认识不足，存在对信息质量把关不严、质量不高、数量不够的问题。'),
    ('p', '（二）人员配置有限。工作队伍专业性和稳定性有待进一步提高。目前，我镇党政办共3人，且兼顾多项工作，人员十分有限。此外，人员青黄不接，文字功底较弱。'),
    ('p', '（三）政务公开、宣传等部门的协调联动机制需进一步完善。'),
    ('p', '改进措施：一是加强队伍建设。一方面，明确专人分工，按照镇政府统一安排，明确一名党政办工作人员负责政务公开工作。另一方面，对于明确的政务公开工作人员进行专题培训，提高专业水准。二是完善政务公开联动机制。进一步发挥好政务公开领导小组作用，定期召开领导小组会议，建立政策解读、充分挖掘信息资源，鼓励各部门人员积极提供、积极撰写。'),
    ('h1', '六、其他需要报告的事项'),
    ('h2', '（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；'),
    ('p', '无'),
    ('h2', '（二）本行政机关落实上级年度政务公开工作要点；'),
    ('p', '全部落实'),
    ('h2', '（3） 本行政机关人大代表建议和政协提案办理结果公开情况；'),
    ('p', '2021年兖州区小孟镇人民政府共承办区级人大建议1件，政协提案0件。目前均已办复，提案意见均已吸收采纳。'),
    ('h2', '（四）本行政机关年度政务公开工作创新情况；'),
    ('p', '结合我镇实际，充分利用为民服务中心设施进行丰富完善，创新政务公开的新载体、新形式，使政务公开的形式呈现灵活多样，在为民服务中心设置了“政务公开体验区”。通过在窗口设置公共电脑，开放网络查询区，链接山东政务外网，页面展示政务公开网页，将群众关注度较高的政务公开线上和线下的结合，极大满足了群众获取政府信息各方面的需求。村级政务公开专区方面，结合推行“阳光村务”工程，按照“应公开尽公开”原则，围绕群众关心的热点和村级事项监督的重点，对“党务、村务、财务、服务”等公开内容进行了规范。'),
    ('h2', '（5） 本行政机关信息公开工作年度报告数据统计需要说明的事项；'),
    ('p', '无'),
    ('h2', '（六）本行政机关认为需要报告的其他事项；'),
    ('p', '无'),
    ('h2', '（7） 本行政机关其他有关文件专门要求通过政府信息公开工作年度报告予以报告的事项：'),
    ('p', '无'),
)

_XIAOMENG_ANNEX = (
    ('一、主动公开情况', '', ''),
    ('\u3000\u3000（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）\n\u3000\u3000\u3000\u3000（不同渠道和方式公开相同信息计1条）', '条', '0'),
    ('\u3000\u3000\u3000\u3000\u3000\u3000其中：主动公开规范性文件数', '条', '0'),
    ('\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000制发规范性文件总数', '件', '0'),
    ('\u3000\u3000（二）通过不同渠道和方式公开政府信息的情况', '', '0'),
    ('\u3000\u3000\u3000\u3000\u30001.政府公报公开政府信息数', '条', '0'),
    ('\u3000\u3000\u3000\u3000\u30002.政府网站公开政府信息数', '条', '17'),
    ('\u3000\u3000\u3000\u3000\u30003.政务微博公开政府信息数', '条', '0'),
    ('\u3000\u3000\u3000\u3000\u30004.政务微信公开政府信息数', '条', '89'),
    ('\u3000\u3000\u3000\u3000\u30005.其他方式公开政府信息数', '条', '0'),
    ('二、回应解读情况（不同方式回应同一热点或舆情计1次）', '', ''),
    ('（一）回应公众关注热点或重大舆情数\n\u3000\u3000\u3000\u3000 （不同方式回应同一热点或舆情计1次）', '次', '0'),
    ('\u3000\u3000（二）通过不同渠道和方式回应解读的情况', '', ''),
    ('\u3000\u3000\u3000\u3000\u30001.参加或举办新闻发布会总次数', '次', '0'),
    ('\u3000\u3000\u3000\u3000\u3000\u3000 其中：主要负责同志参加新闻发布会次数', '次', '0'),
    ('\u3000\u3000\u3000\u3000\u30002.政府网站在线访谈次数', '次', '1'),
    ('\u3000\u3000\u3000\u3000\u3000\u3000 其中：主要负责同志参加政府网站在线访谈次数', '次', '1'),
    ('\u3000\u3000\u3000\u3000\u30003.政策解读稿件发布数', '篇', '0'),
    ('\u3000\u3000\u3000\u3000\u30004.微博微信回应事件数', '次', '0'),
    ('\u3000\u3000\u3000\u3000\u30005.其他方式回应事件数', '次', '0'),
    ('三、开通政府信息公开网站（或设立门户网站信息公开专栏）数', '个', '1'),
    ('\u3000\u3000（一）市政府部门门户网站', '个', '0'),
    ('（二）县（市、区）政府及其部门门户网站', '个', '0'),
    ('（三）乡镇政府（街道办事处）门户网站', '个', '1'),
    ('四、设置政府信息查阅点数', '个', '2'),
    ('（一）市政府部门', '个', '0'),
    ('（二）县（市、区）政府及其部门', '个', '0'),
    ('（三）乡镇政府（街道办事处）', '个', '2'),
    ('五、查阅点接待人数', '次', '87'),
    ('（一）市政府及其部门', '次', '0'),
    ('（二）县（市、区）政府及其部门', '次', '0'),
    ('（三）乡镇政府（街道办事处）', '次', '1'),
    ('六、机构建设和保障经费情况', '', ''),
    ('\u3000\u3000（一）政府信息公开工作专门机构数', '个', '1'),
    ('\u3000\u3000（二）从事政府信息公开工作人员数', '人', '2'),
    ('\u3000\u3000\u3000\u3000\u30001.专职人员数', '人', '1'),
    ('\u3000\u3000\u3000\u3000\u30002.兼职人员数', '人', '1'),
    ('\u3000\u3000（三）政府信息公开专项经费', '万元', '0.5'),
    ('七、政府信息公开会议和培训情况', '', ''),
    ('\u3000\u3000（一）召开政府信息公开工作会议或专题会议数', '次', '3'),
    ('\u3000\u3000（二）举办各类培训班数', '次', '4'),
    ('\u3000\u3000（三）接受培训人员数', '人次', '40'),
)

# --------------------------------------------------------------------------------------------
# Table layouts: lists of {"r", "c", "rs", "cs"} plus "text" (a printed label) or "cell" (a cell
# id, filled in by the writer). The same layouts serve Word and Excel.
# --------------------------------------------------------------------------------------------


def _t(r, c, text, rs=1, cs=1, **extra):
    return {"r": r, "c": c, "rs": rs, "cs": cs, "text": text, **extra}


def _v(r, c, cell, rs=1, cs=1):
    return {"r": r, "c": c, "rs": rs, "cs": cs, "cell": cell}


def _spread(r, first, items, width, make):
    """One row: ``first`` in column 0, then ``items``; the last item takes the columns left."""
    out = [_t(r, 0, first)]
    for i, item in enumerate(items):
        cs = width - 1 - i if i == len(items) - 1 else 1
        out.append(make(r, 1 + i, item, cs=cs))
    return out


def _s2_layout(blocks, width=4, printed=False):
    """二: block title rows across the table, a header row, data rows. With ``printed`` the rows
    hold the printed strings themselves instead of cell ids (used for the 2019 table)."""
    cells, r = [], 0
    for title, heads, rows in blocks:
        cells.append(_t(r, 0, title, cs=width, align="left"))
        cells += _spread(r + 1, "信息内容", heads, width, _t)
        r += 2
        for label, items in rows:
            cells += _spread(r, label, items, width, _t if printed else _v)
            r += 1
    return r, cells


def _s3_data(r, row_id, first_col):
    return [_v(r, first_col + j, f"s3.{row_id}.{col}") for j, col in enumerate(S3_COLS)]


def _s3_header(label_cols, kinds):
    lc = label_cols
    cells = [_t(0, 0, _S3_NOTE, rs=3, cs=lc), _t(0, lc, "申请人情况", cs=7),
             _t(1, lc, "自然人", rs=2), _t(1, lc + 1, "法人或其他组织", cs=5), _t(1, lc + 6, "总计", rs=2)]
    cells += [_t(2, lc + 1 + i, kind) for i, kind in enumerate(kinds)]
    return cells


def _s3_official_layout(results, kinds, numbering=lambda row_id: "."):
    """三 as printed in the official format: three label columns, 10 columns in all."""
    cells, r = _s3_header(3, kinds), 3
    for row_id in ("new", "carried"):
        cells += [_t(r, 0, _S3_TOP[row_id], cs=3, align="left"), *_s3_data(r, row_id, 3)]
        r += 1
    cells.append(_t(r, 0, _S3_RESULTS, rs=sum(max(1, len(items)) for _, _, items in results)))
    for row_id, label, items in results:
        if not items:
            cells += [_t(r, 1, label, cs=2, align="left"), *_s3_data(r, row_id, 3)]
            r += 1
            continue
        cells.append(_t(r, 1, label, rs=len(items)))
        for k, item in enumerate(items, 1):
            cells += [_t(r, 2, f"{k}{numbering(row_id)}{item}", align="left"),
                      *_s3_data(r, f"{row_id}_{k}", 3)]
            r += 1
    cells += [_t(r, 0, _S3_TOP["next"], cs=3, align="left"), *_s3_data(r, "next", 3)]
    return r + 1, cells


def _s3_two_column_layouts(numbering):
    """三 with two label columns (9 columns), cut after 8.属于行政查询事项 into two tables, the
    second without header rows. Returns [(rows, cells), (rows, cells)]."""
    cells, r = _s3_header(2, ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")), 3
    for row_id in ("new", "carried"):
        cells += [_t(r, 0, _S3_TOP[row_id], cs=2, align="left"), *_s3_data(r, row_id, 2)]
        r += 1
    cells += [_t(r, 0, _S3_RESULTS, cs=2, align="left"), _t(r, 2, "", cs=7)]
    r += 1
    split = None
    for row_id, label, items in _S3_RESULTS_2021:
        if not items:
            cells += [_t(r, 0, label, cs=2, align="left"), *_s3_data(r, row_id, 2)]
            r += 1
            continue
        cells.append(_t(r, 0, label, rs=len(items)))
        for k, item in enumerate(items, 1):
            cells += [_t(r, 1, f"{k}{numbering(row_id)}{item}", align="left"),
                      *_s3_data(r, f"{row_id}_{k}", 2)]
            r += 1
        if row_id == "r3":
            split = r
    cells += [_t(r, 0, _S3_TOP["next"], cs=2, align="left"), *_s3_data(r, "next", 2)]
    r += 1
    first = [c for c in cells if c["r"] < split]
    second = [dict(c, r=c["r"] - split) for c in cells if c["r"] >= split]
    return [(split, first), (r - split, second)]


def _s4_layout(top_heads, sub_heads):
    """四: 行政复议 over 5, 行政诉讼 over 10, three header rows and one data row."""
    cells = [_t(0, 0, "行政复议", cs=5), _t(0, 5, "行政诉讼", cs=10)]
    cells += [_t(1, i, head, rs=2) for i, head in enumerate(top_heads)]
    cells += [_t(1, 5, "未经复议直接起诉", cs=5), _t(1, 10, "复议后起诉", cs=5)]
    cells += [_t(2, 5 + 5 * g + i, head) for g in range(2) for i, head in enumerate(sub_heads)]
    cells += [_v(3, 5 * g + i, f"s4.{group}.{col}")
              for g, group in enumerate(S4_GROUPS) for i, col in enumerate(S4_COLS)]
    return 4, cells


# --------------------------------------------------------------------------------------------
# Word helpers
# --------------------------------------------------------------------------------------------

_TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋_GB2312"
_H1_FONT = "黑体"
_H2_FONT = "楷体_GB2312"
_TABLE_FONT = "宋体"


def _font(run, name, size, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _new_document(author="Administrator"):
    """A4, GB/T 9704 margins, 仿宋 三号 as the Normal style, an ordinary author name."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = _BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _BODY_FONT)
    props = doc.core_properties
    props.author = props.last_modified_by = author
    props.title = props.subject = props.keywords = props.comments = ""
    return doc


def _para(doc, text, kind="p"):
    """A paragraph formatted by hand, as clerks do (no heading styles)."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font = (_TITLE_FONT, 22)
    elif kind == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font = (_TITLE_FONT, 18)
    elif kind == "flush":  # no indent, 黑体 (附件3)
        font = (_H1_FONT, 16)
    elif kind == "plain":  # no indent, body font
        font = (_BODY_FONT, 16)
    else:
        fmt.first_line_indent = Pt(32)
        font = {"h1": (_H1_FONT, 16), "h2": (_H2_FONT, 16)}.get(kind, (_BODY_FONT, 16))
    if text:
        _font(p.add_run(text), *font)
    return p


def _add_goback_bookmark(paragraph):
    """Word's hidden "_GoBack" bookmark (where the cursor was last saved)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), "_GoBack")
    end.set(qn("w:id"), "0")
    at = 0 if paragraph._p.pPr is None else 1
    paragraph._p.insert(at, end)
    paragraph._p.insert(at, start)


def _write_cell(cell, text, size, align="center", lines="break"):
    """Text into a (merged) cell. A "\\n" is a line break inside one paragraph, or with
    ``lines="paragraphs"`` a new paragraph (the clerk pressed Enter)."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    parts = text.split("\n") if lines == "paragraphs" else [text]
    for i, part in enumerate(parts):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
        if part:
            _font(p.add_run(part), _TABLE_FONT, size)


def _repeat_header(table, rows):
    for row in table.rows[:rows]:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(flag)


def _docx_table(doc, layout, widths_mm, fill, size=10.5, header_rows=0, lines="break"):
    """A bordered Word table from a layout: cells merged first with ``cell.merge``, then the
    text written into the top-left cell only. ``fill(cell_id)`` gives the printed string."""
    n_rows, cells = layout
    table = doc.add_table(rows=n_rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    for spec in cells:
        r, c, rs, cs = spec["r"], spec["c"], spec["rs"], spec["cs"]
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        text = spec["text"] if "text" in spec else fill(spec["cell"])
        _write_cell(cell, text, size, spec.get("align", "center"), lines)
    _repeat_header(table, header_rows)
    return table


# --------------------------------------------------------------------------------------------
# Numbers as clerks type them
# --------------------------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _plain(value):
    """A number without exponent or trailing zeros: 4068.208, 0.5, 517645 (int, float or Decimal)."""
    if value == int(value):
        return str(int(value))
    return str(value)


def _clerk_number(cell_id, value):
    """other_template_docx's way of writing a figure."""
    if cell_id in BLANK_MARKED and (value is None or value == 0):
        return BLANK_MARKED[cell_id]
    if value is None or cell_id in TOTAL_LEFT_BLANK:
        return ""
    if cell_id == "s2.fees":
        return f"{_plain(value)}万元"
    if cell_id in FULLWIDTH_CELLS:
        text = _plain(value).translate(_FULLWIDTH)
    else:
        text = f"{int(value):,}" if value == int(value) else _plain(value)
    return text + UNIT_CELLS.get(cell_id, "")


def _organ_name(data):
    organ = data.get("organ") or ""
    return organ.get("name", "") if isinstance(organ, dict) else str(organ)


def _text_paragraphs(doc, text):
    for line in (text or "").split("\n"):
        if line.strip():
            _para(doc, line)


# --------------------------------------------------------------------------------------------
# 1. The example report
# --------------------------------------------------------------------------------------------


def example_docx(path: Path) -> Path:
    """The example township report (小孟镇, 2021) as the clerk's Word file, text as printed.

    Quirks imitated: everything is formatted by hand (no heading styles), with an empty paragraph
    after the title; one paragraph ends in spaces and one has a no-break space in the middle
    (both as in the real file); Word's hidden ``_GoBack`` bookmark sits in 一 (the picture in 一
    is left out). In 六, the item headings are numbered "（一）" but "（3）", "（5）" and "（7）" slip
    in, and each ends in "；" or "："; their answers ("无", "全部落实") are paragraphs of their
    own. The tables are the official ones: 二 with 4 columns; 三 10 columns wide with the 3×3
    note cell, "商业\\n企业" and "科研\\n机构" broken inside the cell, 三、本年度办理结果 merged
    down its 22 rows; 四 with its three header rows. All figures are "0". After a page break
    comes 附件3: the old statistics table, 3 columns, labels indented with full-width spaces
    (two labels over two lines, typed as two paragraphs in the cell), heading rows with empty
    cells, and the note as a paragraph after the table.
    """
    doc = _new_document()
    _para(doc, _XIAOMENG_TITLE, "title")
    _para(doc, "")
    zero = lambda cell_id: "0"  # noqa: E731
    s3_kinds = ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他")
    tables = {
        "s2": lambda: _docx_table(doc, _s2_layout(_S2_BLOCKS_2021), (60, 32, 32, 32), zero),
        "s3": lambda: _docx_table(doc, _s3_official_layout(_S3_RESULTS_2021, s3_kinds),
                                  (13, 17, 46, 11, 11, 11, 11, 11, 11, 12), zero, size=9, header_rows=3),
        "s4": lambda: _docx_table(doc, _s4_layout(("结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"),
                                                  ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")),
                                  (10.4,) * 15, zero, size=9),
    }
    for kind, text in _XIAOMENG_BODY:
        if kind == "table":
            tables[text]()
        elif kind == "p_goback":
            _add_goback_bookmark(_para(doc, text))
        else:
            _para(doc, text, kind)
    doc.add_page_break()
    _para(doc, "附件3", "flush")
    _para(doc, _XIAOMENG_ANNEX_TITLE, "center")
    annex = [_t(0, 0, "统　计　指　标"), _t(0, 1, "单位"), _t(0, 2, "统计数")]
    for r, (label, unit, number) in enumerate(_XIAOMENG_ANNEX, 1):
        annex += [_t(r, 0, label, align="left"), _t(r, 1, unit), _t(r, 2, number)]
    _docx_table(doc, (len(_XIAOMENG_ANNEX) + 1, annex), (112, 18, 26), None, header_rows=1,
                lines="paragraphs")
    _para(doc, _XIAOMENG_ANNEX_NOTE, "plain")
    doc.save(path)
    return path


# --------------------------------------------------------------------------------------------
# 2. Another clerk's template
# --------------------------------------------------------------------------------------------


def other_template_docx(path: Path, data: dict) -> Path:
    """Another clerk's template, filled with the figures and texts of ``data`` (report JSON).

    Quirks imitated: the title is broken over two centred paragraphs (organ, then "YYYY年政府信息
    公开工作年度报告"); the headings use Word's "Heading 1" style, in the variants
    "四、政府信息公开行政复议行政诉讼情况" (no 、) and "五、存在的主要问题及改进举措"; a preamble
    in the clerk's own words. In 二, the fee is typed "4068.208万元". 三 has only two label columns
    (no column for 三、本年度办理结果, which becomes a row of its own with one empty merged cell;
    the groups （三）…（六） are merged in the first column) and is pasted as TWO Word tables, cut
    after "8.属于行政查询事项", the second without header rows, same 9-column grid. The 总计
    column is left blank in the detail rows (``TOTAL_LEFT_BLANK``) and filled in 一、二、（七）
    and 四; the rows of ``DASH_NUMBERED_ROWS`` are numbered "1、". Figures have thousands
    separators ("517,645"); ``FULLWIDTH_CELLS`` have full-width digits ("７０５"); ``UNIT_CELLS``
    carry a unit ("3件"); ``BLANK_MARKED`` cells print "—" or "/" where data holds 0 or None
    (so they are blank, not 0); other zeros print "0"; None prints an empty cell. 六 is
    data["texts"]["s6"], or the items s6.1 … present, under headings "1、…", "2、…" numbered
    by item. No annex.
    """
    values, texts = data.get("values", {}), data.get("texts", {})
    year, organ = data["year"], _organ_name(data)
    fill = lambda cell_id: _clerk_number(cell_id, values.get(cell_id))  # noqa: E731
    organ_data = data["organ"] if isinstance(data.get("organ"), dict) else {}
    address, phone = organ_data.get("address"), organ_data.get("phone")

    doc = _new_document(author="User")
    _para(doc, organ, "title")
    _para(doc, f"{year}年政府信息公开工作年度报告", "title")
    _para(doc, "")
    _para(doc, f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务"
               f"公开办公室印发的年度报告格式要求，{organ}编制了{year}年政府信息公开工作年度报告。"
               f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
    if address or phone:
        contact = "；".join(x for x in (address and f"地址：{address}", phone and f"电话：{phone}") if x)
        _para(doc, f"如对本报告有任何疑问，请与{organ}办公室联系（{contact}）。")

    def heading(text):
        p = doc.add_paragraph(style="Heading 1")
        run = p.add_run(text)
        _font(run, _H1_FONT, 16)
        run.font.color.rgb = RGBColor(0, 0, 0)
        return p

    heading("一、总体情况")
    _text_paragraphs(doc, texts.get("s1"))
    heading("二、主动公开政府信息情况")
    _docx_table(doc, _s2_layout(_S2_BLOCKS_2021), (60, 32, 32, 32), fill)
    heading("三、收到和处理政府信息公开申请情况")
    numbering = lambda row_id: "、" if row_id in DASH_NUMBERED_ROWS else "."  # noqa: E731
    widths = (18, 44, 15, 13, 13, 13, 13, 13, 13)
    first, second = _s3_two_column_layouts(numbering)
    _docx_table(doc, first, widths, fill, size=9, header_rows=3)
    _para(doc, "")  # the paste left an empty paragraph between the two halves
    _docx_table(doc, second, widths, fill, size=9)
    heading("四、政府信息公开行政复议行政诉讼情况")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    _docx_table(doc, _s4_layout(heads, heads), (10.4,) * 15, fill, size=9)
    heading("五、存在的主要问题及改进举措")
    _text_paragraphs(doc, texts.get("s5"))
    heading("六、其他需要报告的事项")
    items = sorted((int(k.split(".")[1]), v) for k, v in texts.items() if k.startswith("s6."))
    if items:
        for n, text in items:
            _para(doc, f"{n}、{_S6_ITEMS[n - 1]}", "h2")
            _text_paragraphs(doc, text)
    else:
        _text_paragraphs(doc, texts.get("s6"))
    doc.save(path)
    return path


# --------------------------------------------------------------------------------------------
# 3. A 2019-format report
# --------------------------------------------------------------------------------------------

# 二 in the 2019 format, as printed (本年增/减 signed, 采购总金额 with its unit).
_S2_BLOCKS_2019 = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), (
        ("规章", ("0", "0", "0")),
        ("规范性文件", ("3", "3", "25")))),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
        ("行政许可", ("12", "+2", "35")),
        ("其他对外管理服务事项", ("5", "0", "8")))),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), (
        ("行政处罚", ("6", "-1", "41")),
        ("行政强制", ("1", "0", "2")))),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), (
        ("行政事业性收费", ("1", "0")),)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额"), (
        ("政府集中采购", ("4", "251000元")),)),
)

# 三 in the 2019 format: natural, commercial and total given, the rest 0; next from FORMAT_2019_NEXT.
# new + carried = r7 + next in every column.
_S3_2019 = {
    "new": (10, 1, 11), "carried": (1, 0, 1), "r1": (5, 1, 6), "r2": (1, 0, 1), "r3_3": (1, 0, 1),
    "r4_1": (1, 0, 1), "r5_2": (1, 0, 1), "r7": (9, 1, 10),
}
FORMAT_2019_VALUES = {f"s3.{row}.{col}": 0 for row in (
    "new", "carried", "r1", "r2", *(f"r3_{i}" for i in range(1, 9)), *(f"r4_{i}" for i in range(1, 4)),
    *(f"r5_{i}" for i in range(1, 6)), "r6", "r7", "next") for col in S3_COLS}
FORMAT_2019_VALUES.update({f"s3.{row}.{col}": n for row, ns in _S3_2019.items()
                           for col, n in zip(("natural", "commercial", "total"), ns)})
FORMAT_2019_VALUES.update({f"s4.{g}.{c}": 0 for g in S4_GROUPS for c in S4_COLS})
FORMAT_2019_VALUES.update(FORMAT_2019_NEXT)
FORMAT_2019_VALUES.update({"s4.review.upheld": 1, "s4.review.total": 1})

_TEXTS_2019 = {
    "s1": [
        ("p", "2020年，某某镇认真贯彻落实《中华人民共和国政府信息公开条例》，按照县委、县政府关于政务公开工作的"
              "部署，坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。"),
        ("h2", "（一）主动公开情况"),
        ("p", "全年通过县政府门户网站某某镇专栏主动公开政府信息86条，其中规范性文件3件，通过政务公开栏公开信息42条。"),
        ("h2", "（二）依申请公开情况"),
        ("p", "全年收到政府信息公开申请11件，上年结转1件，已办结10件，结转下年度继续办理2件。"),
        ("h2", "（三）政府信息管理情况"),
        ("p", "严格落实信息发布审核制度，坚持先审查、后公开，全年未发生失泄密事件。"),
        ("h2", "（四）平台建设情况"),
        ("p", "在镇便民服务中心设置政府信息查阅点1个，及时更新政务公开栏。"),
        ("h2", "（五）监督保障情况"),
        ("p", "将政务公开工作纳入对各站所的年度考核，全年开展业务培训2次，未发生责任追究情况。"),
    ],
    "s5": [
        ("p", "一是公开内容不够全面，部分信息更新不及时；二是工作人员业务水平有待提高。"),
        ("p", "下一步，我镇将进一步完善信息公开工作机制，加强业务培训，提高信息发布的及时性和准确性。"),
    ],
    "s6": [
        ("p", "本年度未收取信息处理费。无其他需要报告的事项。"),
    ],
}


def format_2019_docx(path: Path) -> Path:
    """A report on 2020 in the 2019 format (国办公开办函〔2019〕60号) of a made-up township.

    Quirks imitated: the old section 二 with 5 blocks (本年新制作数量 · 本年新公开数量 · 对外公开
    总数量; 上一年项目数量 · 本年增/减 · 处理决定数量, with signed changes "+2", "-1"; …;
    第二十条第（九）项 政府集中采购 with 采购总金额 "251000元" merged over two columns); 三 as in
    2021 except that （六）其他处理 is one row directly followed by （七）总计 (26 rows); figures
    consistent (``FORMAT_2019_VALUES``; 结转下年度继续办理 in ``FORMAT_2019_NEXT``); 四 as in 2021.
    """
    doc = _new_document()
    organ, year = FORMAT_2019_ORGAN, FORMAT_2019_YEAR
    _para(doc, f"{organ}{year}年政府信息公开工作年度报告", "title")
    _para(doc, f"本报告由{organ}按照《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室"
               f"关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2019〕60号）要求编制。"
               f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
    fill = lambda cell_id: _plain(FORMAT_2019_VALUES[cell_id])  # noqa: E731
    kinds = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    _para(doc, "一、总体情况", "h1")
    for kind, text in _TEXTS_2019["s1"]:
        _para(doc, text, kind)
    _para(doc, "二、主动公开政府信息情况", "h1")
    _docx_table(doc, _s2_layout(_S2_BLOCKS_2019, printed=True), (60, 32, 32, 32), None)
    _para(doc, "三、收到和处理政府信息公开申请情况", "h1")
    _docx_table(doc, _s3_official_layout(_S3_RESULTS_2019, kinds), (13, 17, 46, 11, 11, 11, 11, 11, 11, 12),
                fill, size=9, header_rows=3)
    _para(doc, "四、政府信息公开行政复议、行政诉讼情况", "h1")
    _docx_table(doc, _s4_layout(heads, heads), (10.4,) * 15, fill, size=9)
    for heading, key in (("五、存在的主要问题及改进情况", "s5"), ("六、其他需要报告的事项", "s6")):
        _para(doc, heading, "h1")
        for kind, text in _TEXTS_2019[key]:
            _para(doc, text, kind)
    doc.save(path)
    return path


# --------------------------------------------------------------------------------------------
# 3b. A published report, as its web page or PDF becomes a Word file
# --------------------------------------------------------------------------------------------


def published_patterns_docx(path: Path, data: dict, older_row: bool = False) -> Path:
    """A report as published on a government site and saved as Word, filled with ``data``'s
    figures and texts under ``PUBLISHED_ORGAN``.

    Patterns of real published reports: the page's metadata line and the title behind "标题："; the
    website named inside a sentence ("…可在平潭综合实验区门户网站（www.pingtan.gov.cn）查阅或下载");
    "一、总体情况" run into its first sentence; 二 with the 2019 wording "规范性文件" and the fee
    with six decimals (``PUBLISHED_FEES``, whatever data holds); 三 with a typo in one row label
    (``PUBLISHED_TYPO_ROW``) and, with ``older_row``, （六）其他处理 as the 2019 format's single
    row (the sum of r6_1…r6_3 in each column); 五 headed "五、存在的主要问题及整改措施"; 六 stating
    ``PUBLISHED_S6``.
    """
    values, texts = data.get("values", {}), data.get("texts", {})
    year, organ = data["year"], PUBLISHED_ORGAN

    def fill(cell_id):
        if cell_id == "s2.fees":
            return PUBLISHED_FEES
        if cell_id.startswith("s3.r6.") and older_row:
            parts = [values.get(f"s3.r6_{k}.{cell_id.split('.')[2]}") for k in (1, 2, 3)]
            return _plain(sum(p or 0 for p in parts))
        value = values.get(cell_id)
        return "" if value is None else _plain(value)

    doc = _new_document()
    _para(doc, f"索引号：FJ00-2025-0001　发布机构：{organ}　发布日期：{year + 1}-01-20", "plain")
    _para(doc, f"标题：{organ}{year}年政府信息公开工作年度报告", "title")
    _para(doc, f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{year}年1月1日起"
               f"至{year}年12月31日止。本报告电子版可在平潭综合实验区门户网站（{PUBLISHED_WEBSITE}）查阅或下载。")
    s1 = (texts.get("s1") or "").split("\n")
    _para(doc, PUBLISHED_HEADINGS[0] + s1[0], "p")
    for line in s1[1:]:
        if line.strip():
            _para(doc, line)
    _para(doc, "二、主动公开政府信息情况", "h1")
    s2_blocks = tuple((title, heads, tuple((PUBLISHED_2019_ROW[1] if label == "行政规范性文件" else label, ids)
                                           for label, ids in rows)) for title, heads, rows in _S2_BLOCKS_2021)
    _docx_table(doc, _s2_layout(s2_blocks), (60, 32, 32, 32), fill)
    _para(doc, "三、收到和处理政府信息公开申请情况", "h1")
    kinds = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    results = _S3_RESULTS_2019 if older_row else _S3_RESULTS_2021
    n_rows, cells = _s3_official_layout(results, kinds)
    typo_row, typo = PUBLISHED_TYPO_ROW
    for c in cells:
        if c.get("text", "").endswith("其他法律行政法规禁止公开"):
            c["text"] = typo
    _docx_table(doc, (n_rows, cells), (13, 17, 46, 11, 11, 11, 11, 11, 11, 12), fill, size=9, header_rows=3)
    _para(doc, "四、政府信息公开行政复议、行政诉讼情况", "h1")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    _docx_table(doc, _s4_layout(heads, heads), (10.4,) * 15, fill, size=9)
    _para(doc, PUBLISHED_HEADINGS[1], "h1")
    _text_paragraphs(doc, texts.get("s5"))
    _para(doc, "六、其他需要报告的事项", "h1")
    _para(doc, PUBLISHED_S6)
    _para(doc, organ, "plain")
    _para(doc, f"{year + 1}年1月20日", "plain")
    doc.save(path)
    return path


# --------------------------------------------------------------------------------------------
# 4. An Excel workbook in the official layout
# --------------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _xlsx_number(cell_id, value):
    if value is None:
        return None
    if cell_id in XLSX_TEXT_CELLS:
        return _plain(value).translate(_FULLWIDTH)
    return int(value) if value == int(value) else float(value)


def _xlsx_table(ws, layout, fill, widths):
    _, cells = layout
    top = XLSX_FIRST_TABLE_ROW
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    for spec in cells:
        row, col = top + spec["r"], 1 + spec["c"]
        value = spec["text"].replace("\n", "") if "text" in spec else fill(spec["cell"])
        cell = ws.cell(row=row, column=col, value=value)
        cell.border = _BOX
        cell.font = Font(name="宋体", size=10)
        horizontal = "left" if spec.get("align") == "left" else "center"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        room = sum(widths[spec["c"]:spec["c"] + spec["cs"]])
        if isinstance(value, str) and spec["rs"] == 1 and 2 * len(value) > room:
            ws.row_dimensions[row].height = 27  # a second line, as the clerk dragged the row open
        if spec["rs"] > 1 or spec["cs"] > 1:  # after the style: merging copies the border round
            ws.merge_cells(start_row=row, start_column=col,
                           end_row=row + spec["rs"] - 1, end_column=col + spec["cs"] - 1)


def _xlsx_title(ws, title, organ, year, width):
    ws.cell(row=1, column=1, value=title).font = Font(name="黑体", size=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=f"填报单位：{organ}　　统计年度：{year}年").font = Font(name="宋体", size=10)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def official_layout_xlsx(path: Path, data: dict) -> Path:
    """An Excel workbook someone made from the official tables, filled from ``data`` values.

    Quirks imitated: one sheet per table (``XLSX_SHEETS``), each with a merged title row and a
    "填报单位：…　　统计年度：…年" row above the table (the table starts at
    ``XLSX_FIRST_TABLE_ROW``); merged header cells (ws.merge_cells) as in the official layout
    (二 4 columns; 三 10 columns with 3 label columns; 四 15 columns); figures stored as numbers,
    总计 as numbers too (no formulas), except ``XLSX_TEXT_CELLS``, stored as text with full-width
    digits ("７０５"); None leaves the cell empty. No hidden sheet, no cell ids anywhere.
    """
    values = data.get("values", {})
    fill = lambda cell_id: _xlsx_number(cell_id, values.get(cell_id))  # noqa: E731
    organ, year = _organ_name(data), data["year"]
    wb = openpyxl.Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "Administrator"
    kinds = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    sheets = (
        ("二、主动公开政府信息情况", _s2_layout(_S2_BLOCKS_2021), (24, 14, 14, 14)),
        ("三、收到和处理政府信息公开申请情况", _s3_official_layout(_S3_RESULTS_2021, kinds),
         (10, 14, 64, 8, 8, 8, 8, 8, 8, 8)),
        ("四、政府信息公开行政复议、行政诉讼情况", _s4_layout(heads, heads), (7,) * 15),
    )
    for i, (name, (title, layout, widths)) in enumerate(zip(XLSX_SHEETS, sheets)):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = name
        _xlsx_title(ws, title, organ, year, len(widths))
        _xlsx_table(ws, layout, fill, widths)
    wb.save(path)
    return path


# --------------------------------------------------------------------------------------------
# 5. Not a report
# --------------------------------------------------------------------------------------------


def not_a_report_docx(path: Path) -> Path:
    """A Word file that is not an annual report: a meeting notice with a table of attendees
    (the wrong file picked on a clerk's desktop). It has numbers, a year and 人民政府 in it."""
    doc = _new_document()
    _para(doc, "关于召开2024年度全镇安全生产工作会议的通知", "title")
    _para(doc, "")
    _para(doc, "各村（社区）、镇直各单位：", "plain")
    _para(doc, "经镇党委、镇人民政府研究，定于2024年3月15日（星期五）上午9:00在镇政府三楼会议室召开全镇安全生产"
               "工作会议，总结2023年度安全生产工作，部署2024年度重点任务。现将有关事项通知如下：")
    _para(doc, "一、参会人员", "h1")
    _para(doc, "各村（社区）党组织书记、镇直各单位主要负责人。具体名单如下：")
    rows = (("序号", "姓名", "单位", "联系电话"), ("1", "张某", "镇应急管理办公室", "0537-1234567"),
            ("2", "李某", "镇综合执法队", "0537-1234568"), ("3", "王某", "某某村党支部", "13800000000"))
    cells = [_t(r, c, text) for r, row in enumerate(rows) for c, text in enumerate(row)]
    _docx_table(doc, (len(rows), cells), (16, 30, 60, 50), None)
    _para(doc, "二、有关要求", "h1")
    _para(doc, "请参会人员提前10分钟到场签到，不得无故缺席。确因特殊情况不能参会的，须提前向镇党政办公室请假。")
    _para(doc, "某某镇人民政府办公室", "center")
    _para(doc, "2024年3月12日", "center")
    doc.save(path)
    return path
