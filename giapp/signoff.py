"""Sign-off: what stands in the way, signing with a fingerprint, unlocking, verifying. Qt-free.

The fingerprint is SHA-256 over a canonical form of everything the exports show: the report's
content (Report.fingerprint) and the sign-off's names and date; under scheme 2 (since issue 14) also
the time of signing, the link to last year's report and the head of the file's audit chain at
signing, so that a deleted or edited audit row shows. Scheme 1 sign-offs (no "scheme" key) still
verify as they were made; signing again makes a scheme 2 one. The first 12 hex digits, grouped, are
the verification code printed in the footer of every page of the signed Word, PDF and Excel annex
(the staff names go on the sign-off sheet only, giapp/export/sheet.py).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from .errors import GiappError
from .report import Report
from .rules import check, sorted_findings

CODE = re.compile(r"校验码[：:]\s*([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


@dataclass(frozen=True)
class Obstacle:
    kind: str  # error, unexplained, blank, text, organ
    rule: str
    cells: tuple[str, ...]
    message: str


def obstacles(report: Report) -> list[Obstacle]:
    """Everything that stands in the way of signing, errors first."""
    out = []
    for f in sorted_findings(check(report, "signoff")):
        if f.rule in ("W-blank", "A-blank"):
            out.append(Obstacle("blank", f.rule, f.cells, f"{f.message}（可一键将空白填为0）"))
        elif f.rule.startswith("W-text-empty"):
            out.append(Obstacle("text", f.rule, f.cells, f.message))
        elif f.severity == "error":
            out.append(Obstacle("error", f.rule, f.cells, f.message))
        elif not f.explained:
            out.append(Obstacle("unexplained", f.rule, f.cells, f"{f.message}（警告须改正或填写说明）"))
    return out + missing_parts(report)


def missing_parts(report: Report) -> list[Obstacle]:
    """Parts the printed report would lack: an item of 六 switched on but empty (never printed as a
    bare heading), and the preamble's sentences on where the report is published and whom to
    contact, which need the organ's website and its address or telephone."""
    from .form import load_form

    out = []
    form = load_form(report.format)
    chosen = report.s6_items()
    for section in form.sections:
        for item in section.get("items", []):
            if item["id"] in chosen and not report.text(item["id"]).strip():
                what = "请填写" if item.get("required") else "请填写，或在“六”中取消选用此项"
                out.append(Obstacle("text", f"W-item-empty.{item['id']}", (),
                                    f"{section['heading']} · {item['title']}：已选用但内容为空，{what}"))
    organ = report.organ
    if not organ.website.strip():
        out.append(Obstacle("organ", "W-preamble.website", (),
                            "报告信息：未填写网站，前言中“本报告电子版可在……查阅或下载”一句无法生成，请在“报告信息”中填写"))
    if not organ.address.strip() and not organ.phone.strip():
        out.append(Obstacle("organ", "W-preamble.contact", (),
                            "报告信息：未填写地址和联系电话，前言中“如对本报告有疑问，请与……联系”一句无法生成，请在“报告信息”中填写"))
    return out


SCHEME = 2  # the fingerprint scheme new sign-offs are made under
SCHEME_NAMES = {1: "旧版指纹（只含报告内容和签发人，不含审计记录、签发时间和上年关联；撤销后重新签发即可升级）",
                2: "指纹含报告内容、签发人、签发时间、上年关联和审计记录"}


def scheme(signoff: dict | None) -> int:
    """The fingerprint scheme a sign-off was made under (1: before issue 14)."""
    return (signoff or {}).get("scheme", 1)


def signoff_fingerprint(report: Report, people: dict, audit_head: str | None = None) -> str:
    """Scheme 1 (people without "scheme"): content, names and date. Scheme 2: also the time of signing,
    last year's link and the audit chain's head at signing (audit_head, taken from the file)."""
    names = {k: people.get(k, "") for k in ("preparer", "reviewer", "approver", "date")}
    blob = report.fingerprint() + json.dumps(names, ensure_ascii=False, sort_keys=True)
    if scheme(people) != 1:
        ly = report.last_year
        extra = {"scheme": scheme(people), "signed_at": people.get("signed_at", ""),
                 "audit_rows": people.get("audit_rows"), "audit_head": audit_head,
                 "last_year": None if ly is None else [ly.file, ly.year, ly.organ, ly.fingerprint]}
        blob += json.dumps(extra, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def code(fingerprint: str) -> str:
    """The short verification code: 3F2A-9C01-7B44."""
    h = fingerprint[:12].upper()
    return f"{h[:4]}-{h[4:8]}-{h[8:12]}"


def check_people(preparer: str, reviewer: str, approver: str, day: str) -> dict:
    people = {"preparer": (preparer or "").strip(), "reviewer": (reviewer or "").strip(),
              "approver": (approver or "").strip(), "date": (day or date.today().isoformat()).strip()}
    missing = [name for key, name in (("preparer", "填报人"), ("reviewer", "审核人"), ("approver", "签发人")) if not people[key]]
    if missing:
        raise GiappError(f"签发需要填写{'、'.join(missing)}")
    from .inputs import bad_character, clean

    for key, name in (("preparer", "填报人"), ("reviewer", "审核人"), ("approver", "签发人"), ("date", "签发日期")):
        found = bad_character(people[key], line_breaks=False)
        if found:
            raise GiappError(f"{name}“{clean(people[key])}”中含有换行或控制字符（{found}），请删去后重新填写")
    try:
        date.fromisoformat(people["date"])
    except ValueError:
        raise GiappError(f"签发日期“{people['date']}”不是有效日期（应为 2026-01-20 这样的格式）") from None
    return people


def intact(report: Report) -> bool:
    """Whether a signed report's content is what was signed."""
    if report.status != "signed" or not report.signoff:
        return True
    signoff = report.signoff
    if scheme(signoff) not in SCHEME_NAMES:
        return False
    if scheme(signoff) != 1 and report.signed_audit_head is None:
        return False  # not read from its report file, or the audit trail is shorter than what was signed
    return signoff.get("fingerprint") == signoff_fingerprint(report, signoff, report.signed_audit_head)
