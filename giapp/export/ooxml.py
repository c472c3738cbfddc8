"""WordprocessingML property elements in the order of the OOXML schema (ECMA-376 Part 1, wml.xsd).

Word checks that the children of w:pPr, w:rPr, w:tblPr, w:tcPr and w:sectPr come in the order of
their xsd:sequence, each at most once, and offers to "repair" a file where they do not. python-docx
keeps that order for the elements it knows; elements we add ourselves are appended at the end.
`put_in_order` sorts every such element of a part once, just before the file is saved."""

from docx.oxml.ns import qn

# The sequences of CT_PPrBase (+ rPr, sectPr, pPrChange of CT_PPr), CT_ParaRPr / CT_RPr (EG_RPrBase),
# CT_TblPr, CT_TcPr and CT_SectPr, as the schema lists them.
_RPR = ["ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps",
        "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
        "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
        "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"]
SEQUENCES = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
            "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"],
    "rPr": _RPR,
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
              "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
              "tblDescription", "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
             "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge", "tcPrChange"],
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
               "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
               "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"],
}
REPEATABLE = {qn("w:headerReference"), qn("w:footerReference")}  # one per type (default, even, first)
_RANK = {qn(f"w:{parent}"): {qn(f"w:{child}"): i for i, child in enumerate(children)}
         for parent, children in SEQUENCES.items()}


def put_in_order(root) -> None:
    """Sort the children of every property element under root into schema order. Where an element
    was given twice, the later one (the last word of the code that set it) is kept."""
    for element in root.iter(*_RANK):
        rank = _RANK[element.tag]
        children = list(element)
        last = {}
        for child in children:
            if child.tag not in REPEATABLE:
                last[child.tag] = child
        kept = [c for c in children if c.tag in REPEATABLE or last.get(c.tag) is c]
        if kept == children and all(rank.get(a.tag, len(rank)) <= rank.get(b.tag, len(rank))
                                    for a, b in zip(children, children[1:])):
            continue
        for child in children:
            element.remove(child)
        # unknown elements (another namespace) go last, in the order they came
        for child in sorted(kept, key=lambda c: rank.get(c.tag, len(rank))):
            element.append(child)


def put_parts_in_order(word) -> None:
    """Every part of a python-docx Document that holds properties: body, styles, headers, footers."""
    put_in_order(word.element)
    put_in_order(word.styles.element)
    for section in word.sections:
        for part in (section.header, section.even_page_header, section.first_page_header,
                     section.footer, section.even_page_footer, section.first_page_footer):
            if not part.is_linked_to_previous:
                put_in_order(part._element)
