"""The command line (shared/spec/interchange.md). Qt-free: only `giapp [FILE]` loads the window.

Exit codes: 0 done (check: no error), 1 check found an error, 2 an input could not be read or
a command could not be carried out; in that case nothing was written.

The readers of Word, Excel and JSON inputs are imported by the commands that use them, so that
`giapp FILE` starts the window without them.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .errors import GiappError
from .form import MAIN_FORM
from .report import LEVELS, STATUSES, Report
from .rules import SEVERITY_NAMES, check, counts, sorted_findings
from .store import SUFFIX, ReportFile

ONLY_REPORTS = f"只能对报告文件（{SUFFIX}）签发、撤销或核对"
VERIFY_SHOWN = 30  # differences listed for an export
COMMANDS = ("new", "import", "dump", "check", "export", "sign", "unsign", "verify", "aggregate")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's exit code 2 is ours too; keep its message short
        self.print_usage(sys.stderr)
        self.exit(2, f"giapp：参数有误：{message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="giapp", description="政府信息公开工作年度报告：填报、校验、导出")
    p.add_argument("--version", action="version", version=f"giapp {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    new = sub.add_parser("new", help="新建报告文件")
    new.add_argument("out", type=Path, help=f"新报告文件（{SUFFIX}）")
    new.add_argument("--organ", help="机关名称")
    new.add_argument("--year", type=int, help="报告年度")
    new.add_argument("--level", choices=list(LEVELS), help="机关层级")
    new.add_argument("--from", dest="prev", type=Path, help="以上年报告为基础（报告文件、JSON、Word、Excel、网页或 PDF）")

    imp = sub.add_parser("import", help="把 Word、Excel、网页、PDF 或 JSON 报告读入新的报告文件")
    imp.add_argument("out", type=Path)
    imp.add_argument("input", type=Path)
    imp.add_argument("--last-year", dest="last_year", type=Path, metavar="PREV",
                     help="关联上年报告（报告文件、Word、网页或 PDF），以便跨年度校验")

    dump = sub.add_parser("dump", help="以 JSON 输出报告")
    dump.add_argument("file", type=Path)

    chk = sub.add_parser("check", help="校验报告")
    chk.add_argument("files", type=Path, nargs="+")
    chk.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    chk.add_argument("--last-year", dest="last_year", type=Path, metavar="PREV",
                     help="关联上年报告（报告文件、Word、网页或 PDF），以便跨年度校验")

    exp = sub.add_parser("export", help="导出 Word 报告、PDF、Excel 附表和签发单")
    exp.add_argument("file", type=Path)
    exp.add_argument("--docx", type=Path, help="Word 报告（.docx）")
    exp.add_argument("--pdf", type=Path, help="PDF")
    exp.add_argument("--xlsx", type=Path, help="Excel 附表（.xlsx）")
    exp.add_argument("--sheet", type=Path, help="签发单（发文稿纸，.pdf）：填报人、审核人、签发人、校验码和说明，随纸质件归档")

    sign = sub.add_parser("sign", help="签发（锁定报告）")
    sign.add_argument("file", type=Path)
    sign.add_argument("--preparer", required=True, help="填报人")
    sign.add_argument("--reviewer", required=True, help="审核人")
    sign.add_argument("--approver", required=True, help="签发人")
    sign.add_argument("--date", help="签发日期，如 2026-01-20（默认今天）")
    sign.add_argument("--explain", action="append", default=[], metavar="RULE=TEXT", help="警告的说明，可多次使用")

    unsign = sub.add_parser("unsign", help="撤销签发")
    unsign.add_argument("file", type=Path)
    unsign.add_argument("--reason", required=True, help="撤销原因")

    verify = sub.add_parser("verify", help="核对签发后的报告及导出文件")
    verify.add_argument("file", type=Path)
    verify.add_argument("exports", type=Path, nargs="*")

    agg = sub.add_parser("aggregate", help="汇总多个单位的报告（县政务公开办）")
    agg.add_argument("files", type=Path, nargs="+", help="报告文件、Word、Excel、JSON 或文件夹")
    agg.add_argument("-o", "--out", type=Path, required=True, help=f"汇总结果：.xlsx 工作簿或 {SUFFIX} 报告文件")
    agg.add_argument("--year", type=int, help="只汇总这一年度（默认：多数单位的年度）")
    agg.add_argument("--exclude", type=Path, action="append", default=[], help="不汇总这个文件，可多次使用")
    agg.add_argument("--prefer", type=Path, action="append", default=[], help="同一单位有多个文件时以此为准，可多次使用")
    agg.add_argument("--last-year-folder", dest="last_year_folder", type=Path, metavar="DIR",
                     help="上年报告所在文件夹：每个单位与其上年报告关联，核对上年结转和现行有效件数")
    agg.add_argument("--timeout", type=float, default=None, metavar="秒",
                     help="每个文件最长的读取时间，超过则跳过并列出（默认120秒）")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):  # a GBK console or LANG=C: what it lacks becomes "?", never a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        from .winpaths import launch_path

        path = launch_path(argv)  # quotes and a path split at its spaces, as some associations hand it over
        if path is None and len(argv) > 1:
            _parser().error(f"未知的命令“{argv[0]}”")
        import gc

        gc.disable()  # start-up makes what lives as long as the window; ui.app.run collects again once it is shown
        # the window's Qt-free modules first: once PySide6 is loaded, its __feature__ import hook
        # reads the source of every module imported after it
        from . import document, recent  # noqa: F401
        from .ui.app import run  # the only place the command line reaches the window

        return run(path)
    args = _parser().parse_args(argv)
    try:
        commands = {"new": cmd_new, "import": cmd_import, "dump": cmd_dump, "check": cmd_check, "export": cmd_export,
                    "sign": cmd_sign, "unsign": cmd_unsign, "verify": cmd_verify, "aggregate": cmd_aggregate}
        return commands[args.command](args)
    except GiappError as e:
        print(f"giapp：{e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as e:  # a fault of ours: one sentence and a log file, never a traceback
        from .crashlog import report

        print(f"giapp：{report(e)}", file=sys.stderr)
        return 2


def _report_path(path: Path, refusal: str = f"报告文件名应以 {SUFFIX} 结尾") -> Path:
    """path, when it names a report file; else GiappError(refusal)."""
    if path.suffix.lower() != SUFFIX:
        raise GiappError(f"{refusal}：“{path.name}”")
    return path


def cmd_new(args) -> int:
    from .inputs import read_imported
    from .lastyear import from_last_year

    out = _report_path(args.out)
    if args.prev is not None:
        imported = read_imported(args.prev)
        prev = imported.report
        if not prev.year and args.year:
            prev.year = args.year - 1
        report = from_last_year(prev, args.prev.name, args.year)
        _print_import(imported)
        if args.organ:
            report.organ.name = args.organ.strip()
        detail = f"以上年报告“{args.prev.name}”为基础新建"
    else:
        missing = [n for n, v in (("--organ", args.organ), ("--year", args.year)) if not v]
        if missing:
            raise GiappError(f"新建报告需要 {' 和 '.join(missing)}")
        if not 2000 <= args.year <= 2100:
            raise GiappError(f"“{args.year}”不是有效年度")
        report = Report(year=args.year, format=MAIN_FORM)
        report.organ.name = args.organ.strip()
        detail = "新建空白报告"
    if args.level:
        report.organ.level = args.level
    ReportFile.create(out, report, "create", detail).close()
    print(f"已新建“{out}”：{report.organ.name} {report.year}年度")
    return 0


def cmd_import(args) -> int:
    from .inputs import read_imported

    out = _report_path(args.out)
    if args.input.suffix.lower() == SUFFIX:
        raise GiappError(f"“{args.input.name}”已经是报告文件，请直接打开或复制")
    imported = read_imported(args.input)
    report = imported.report
    if not report.year:
        raise GiappError(f"“{args.input.name}”中没有找到报告年度，无法建立报告文件")
    if args.last_year is not None:
        _link(imported, _read_last_year(args.last_year), fill=True)
    ReportFile.create(out, report, "import", f"读入“{args.input.name}”").close()
    print(f"已读入“{args.input.name}”到“{out}”：{report.organ.name} {report.year}年度")
    _print_import(imported)
    return 0


def _read_last_year(path: Path):
    """Last year's report named by --last-year, and its file name."""
    from .inputs import read_imported

    try:
        return read_imported(path).report, path.name
    except GiappError as e:
        raise GiappError(f"上年报告：{e}") from None


def _link(imported, prev, fill: bool = False) -> list[str]:
    """Link an imported report to last year's; what was done goes into its import report."""
    from .lastyear import link_last_year

    notes = link_last_year(imported.report, *prev, fill=fill)
    imported.notes.extend(notes)
    return notes


def _print_json(data) -> None:
    """JSON output is UTF-8 whatever the console's encoding (a Chinese Windows console is GBK)."""
    if sys.stdout is None:  # the windowed program has no console
        return
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    out.write(text.encode("utf-8"))
    out.flush()


def _print_import(imported) -> None:
    for line in imported.summary():
        print(f"  {line}")


def cmd_dump(args) -> int:
    """The report as JSON; for a report file also its audit trail (every change, sign-offs, unlocks)."""
    from .inputs import read_report

    data = read_report(args.file).to_json()
    if args.file.suffix.lower() == SUFFIX:
        with ReportFile.open(args.file, readonly=True) as f:
            data["audit"] = f.audit()
    _print_json(data)
    return 0


def cmd_check(args) -> int:
    """Each file read and checked (on every core when there are several), listed in the order given."""
    from .aggregate import READ_TIMEOUT
    from .batch import run_files

    prev = _read_last_year(args.last_year) if args.last_year is not None else None
    results, _ = run_files(check_file, args.files, prev, _unread, timeout=READ_TIMEOUT)
    if args.json:
        _print_json(results)
    else:
        for r in results:
            _print_result(r)
    unreadable = any("read_error" in r for r in results)
    return 2 if unreadable else 1 if any(r["errors"] for r in results if "read_error" not in r) else 0


def check_file(path: Path, prev=None) -> dict:
    """What `giapp check` says of one file, as its JSON row; prev: last year's (report, file name)."""
    from .inputs import read_imported

    try:
        imported = read_imported(path)
        report = imported.report
        link_notes = _link(imported, prev) if prev is not None else []
    except GiappError as e:
        return _unread(path, str(e))
    except Exception as e:  # noqa: BLE001 - one odd file must not stop a batch (a fault of ours is logged)
        from .crashlog import report

        return _unread(path, f"“{Path(path).name}”无法读取：{report(e)}")
    stage = "signoff" if report.status == "signed" else "draft"
    findings = sorted_findings(check(report, stage))
    errors, warnings = counts(findings)
    return {"file": str(path), "organ": report.organ.name, "year": report.year, "format": report.format,
            "status": report.status, "errors": errors, "warnings": warnings,
            "findings": [f.to_json() for f in findings], "read_problems": imported.problems,
            **({"last_year": link_notes} if link_notes else {})}


def _unread(path, why: str) -> dict:
    return {"file": str(path), "organ": None, "year": None, "format": None, "status": None,
            "errors": None, "warnings": None, "findings": [], "read_error": why}


def cmd_export(args) -> int:
    """The files asked for; none asked: all four (Word, PDF, Excel, sign-off sheet) beside the report file."""
    from . import export
    from .inputs import read_report

    report = read_report(args.file)
    targets = {kind: getattr(args, kind) for kind in export.KINDS if getattr(args, kind)}
    if not targets:
        targets = export.default_targets(args.file.absolute(), report)
    for kind, target in targets.items():
        export.write(kind, report, target)
        print(f"已导出{export.KINDS[kind]}：{target}")
    return 0


def cmd_sign(args) -> int:
    from .signoff import check_people, code

    people = check_people(args.preparer, args.reviewer, args.approver, args.date)
    explanations = {}
    for item in args.explain:
        rule, sep, text = item.partition("=")
        if not sep or not rule.strip() or not text.strip():
            raise GiappError(f"--explain 应写成 规则=说明，如 W-rules-level=上级转发：“{item}”")
        explanations[rule.strip()] = text.strip()
    with ReportFile.open(_report_path(args.file, ONLY_REPORTS)) as f:
        if f.report.status == "signed":
            raise GiappError(f"“{args.file.name}”已经签发（{f.report.signoff.get('date', '')}）")
        try:
            signoff = f.sign(people, explanations)
        except GiappError as e:
            print(f"giapp：{e}", file=sys.stderr)
            return 1
    print(f"已签发“{args.file.name}”：签发人 {people['approver']}，{people['date']}，校验码 {code(signoff['fingerprint'])}")
    return 0


def cmd_unsign(args) -> int:
    with ReportFile.open(_report_path(args.file, ONLY_REPORTS)) as f:
        f.unsign(args.reason)
    print(f"已撤销签发“{args.file.name}”，报告回到草稿状态（原因已记录）")
    return 0


def cmd_verify(args) -> int:
    """Whether the signed content (audit trail included) is unchanged, and whether each export says
    what the signed report says: organ, year, every figure and the texts read back and compared,
    and its code."""
    from .signoff import SCHEME_NAMES, code, intact, scheme
    from .store import ContentMismatch
    from .verify import check_export

    path = _report_path(args.file, ONLY_REPORTS)
    try:
        with ReportFile.open(path, readonly=True) as f:
            report, damage = f.report, ""
    except ContentMismatch:  # changed without giapp, or damaged: still say what was signed
        with ReportFile.open(path, salvage=True) as f:
            report, damage = f.report, f.damage
    if report.status != "signed" or not report.signoff:
        if damage:
            print(f"“{args.file.name}”已被改动或已损坏：未通过内容校验（{damage}）")
        else:
            print(f"“{args.file.name}”尚未签发，没有可核对的校验码")
        return 1
    expected = code(report.signoff["fingerprint"])
    ok = intact(report) and not damage
    if damage:
        print(f"“{args.file.name}”已被改动或已损坏：未通过内容校验（{damage}）（签发时校验码 {expected}）")
    elif ok:
        print(f"“{args.file.name}”签发后内容未改动（校验码 {expected}；{SCHEME_NAMES[scheme(report.signoff)]}）")
    else:
        print(f"“{args.file.name}”签发后内容已被改动：与签发时的指纹不符（签发时校验码 {expected}）")
    unreadable = False
    for path in args.exports:
        try:
            result = check_export(report, path)
        except GiappError as e:
            print(f"  {path.name}：无法读取 —— {e}")
            unreadable = True
            continue
        problems = []
        if result.code is None:
            problems.append("没有校验码（草稿或其他文件）")
        elif result.code != expected:
            problems.append(f"校验码为 {result.code}，不是本报告的（{expected}）")
        if result.differences:
            problems.append(f"内容与签发的报告有{len(result.differences)}处不同")
        if not problems:
            print(f"  {path.name}：内容与签发的报告一致，带有本报告的校验码 {result.code}")
            continue
        ok = False
        print(f"  {path.name}：" + "；".join(problems))
        for line in result.differences[:VERIFY_SHOWN]:
            print(f"    {line}")
        if len(result.differences) > VERIFY_SHOWN:
            print(f"    ……另有{len(result.differences) - VERIFY_SHOWN}处不同")
    return 2 if unreadable else 0 if ok else 1


def cmd_aggregate(args) -> int:
    """The county office's 汇总: every file checked, the chosen units added up, the rest listed."""
    from . import aggregate

    out = args.out
    if out.suffix.lower() not in (".xlsx", SUFFIX):
        raise GiappError(f"汇总结果应为 .xlsx 或 {SUFFIX}：“{out.name}”")
    from .files import check_target, shown

    check_target(out, extra=len("-journal") if out.suffix.lower() == SUFFIX else 0)  # before reading every file
    if out.exists():
        raise GiappError(f"“{out.name}”已存在，未覆盖。请换一个文件名")
    files = aggregate.collect(args.files)
    if not files:
        raise GiappError("没有找到可汇总的文件（.gireport、.docx、.xlsx、.json、.html、.mht、.pdf）")

    def progress(done, total):
        if sys.stderr.isatty() and total:
            print(f"\r已读取 {done}/{total}", end="", file=sys.stderr, flush=True)

    timeout = aggregate.READ_TIMEOUT if args.timeout is None else args.timeout
    if not timeout > 0:
        raise GiappError(f"--timeout 应为正数：“{args.timeout:g}”")
    agg = aggregate.scan(files, progress, year=args.year, exclude=args.exclude, prefer=args.prefer,
                         last_year_folder=args.last_year_folder, timeout=timeout)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if not agg.included:
        for row in agg.roster:
            print(f"  {shown(row.file)}：{_why_not_added(row)}")
        raise GiappError("没有可以汇总的单位")
    if out.suffix.lower() == SUFFIX:
        aggregate.write_aggregate_file(agg, out)
    else:
        from .export.county import write_workbook

        write_workbook(agg, out)
    print(f"已汇总{len(agg.included)}个单位（{agg.year}年）到“{out}”；共读取{len(agg.roster)}个文件")
    for note in agg.notes:
        print(f"  说明：{note}")
    for row in agg.roster:
        if not row.included:
            print(f"  未汇总 {shown(row.file)}：{_why_not_added(row)}")
    unverified = [row.file.name for row in agg.included if row.unverified]
    if unverified:
        names = "、".join(unverified[:20]) + (f"等{len(unverified)}个" if len(unverified) > 20 else "")
        print(f"  已汇总但未经核验（JSON 文件，签发状态仅供参考）：{names}")
    return 0


def _why_not_added(row) -> str:
    """Why a file of the 汇总 is not added; for an unread file, why it could not be read."""
    if row.read_error:
        return f"无法读取 —— {row.read_error}"
    return "；".join(row.remarks())


def _print_result(r: dict) -> None:
    name = Path(r["file"]).name
    if "read_error" in r:
        print(f"{name}：无法读取 —— {r['read_error']}")
        return
    verdict = "未发现问题" if not r["findings"] else f"{r['errors']}个错误，{r['warnings']}个警告"
    print(f"{name}：{r['organ']} {r['year']}年度（{STATUSES[r['status']]}）—— {verdict}")
    for f in r["findings"]:
        note = "（已说明）" if f.get("explained") else ""
        print(f"  [{SEVERITY_NAMES[f['severity']]}] {f['rule']}：{f['message']}{note}")
    for problem in r.get("read_problems", []):
        print(f"  [未能读取] {problem}")
    for note in r.get("last_year", []):
        print(f"  [上年报告] {note}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
