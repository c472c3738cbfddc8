"""The generated parts of the document: title and preamble, from the form's templates. Qt-free."""

from .form import load_form
from .report import Report


def title(report: Report) -> str:
    doc = load_form(report.format).document
    return doc["title"].format(organ=report.organ.name or "（机关名称）", year=report.year)


def preamble(report: Report) -> list[str]:
    """The preamble's paragraphs: legal basis, the six parts, period, where to read it, contact."""
    doc = load_form(report.format).document
    organ = report.organ
    name = organ.name or "（机关名称）"
    website = doc["website_sentence"].format(website=organ.website) if organ.website.strip() else ""
    contact_parts = [f"地址：{organ.address}" if organ.address.strip() else "",
                     f"联系电话：{organ.phone}" if organ.phone.strip() else ""]
    contact = "，".join(p for p in contact_parts if p)
    contact_sentence = doc["contact_sentence"].format(organ=name, contact=contact) if contact else ""
    return [p.format(organ=name, year=report.year, website_sentence=website, contact_sentence=contact_sentence)
            for p in doc["preamble"]]
