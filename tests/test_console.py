"""Consoles that are not UTF-8: a Chinese Windows console is GBK (cp936), some Linux services run
with LANG=C. Every command prints its Chinese messages there without a traceback (characters the
console lacks become "?"), and --json output is UTF-8 whatever the console."""

import json
import os
import subprocess
import sys

import pytest
from conftest import run_giapp_bytes

RARE = "㐀"  # in Unicode's CJK extension A: GBK has no code for it
ORGAN = f"{RARE}溪镇人民政府"

CONSOLES = {
    "gbk": {"PYTHONIOENCODING": "gbk"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C"},
    # Python 3.11 reads LANG=C as UTF-8 (PEP 538/540); a console that takes ASCII only is the worst case
    "ascii": {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
}


def console_env(name: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO", "PYTHONUTF8"))}
    env.pop("LANG", None)
    env.update(CONSOLES[name])
    return env


def console_encoding(env: dict) -> str:
    return subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], env=env,
                          capture_output=True, text=True, check=True).stdout.strip()


class Console:
    def __init__(self, name, cwd):
        self.env, self.cwd = console_env(name), cwd
        self.encoding = console_encoding(self.env)

    def run(self, *args, codes=(0,)):
        """The command's output as the console shows it: decoded strictly in its encoding."""
        result = run_giapp_bytes(*args, cwd=self.cwd, env=self.env)
        out = result.stdout.decode(self.encoding)  # raises when a byte is not the console's
        err = result.stderr.decode(self.encoding)
        assert "Traceback" not in err and "Error" not in err, err
        assert result.returncode in codes, (result.returncode, out, err)
        return out, err

    def shows(self, text: str) -> str:
        """text as this console shows it."""
        return text.encode(self.encoding, "replace").decode(self.encoding)

    def run_json(self, *args, codes=(0,)):
        result = run_giapp_bytes(*args, cwd=self.cwd, env=self.env)
        assert result.returncode in codes and "Traceback" not in result.stderr.decode(self.encoding)
        return json.loads(result.stdout.decode("utf-8"))


def test_the_consoles_are_what_they_claim():
    assert console_encoding(console_env("gbk")) == "gbk"
    assert console_encoding(console_env("ascii")) == "ascii"


@pytest.mark.parametrize("name", list(CONSOLES))
def test_every_command_prints_chinese_on_the_console(name, folder, real_json):
    console = Console(name, folder)
    real_json["organ"]["name"] = ORGAN
    (folder / "来源 数据.json").write_text(json.dumps(real_json, ensure_ascii=False, default=str), encoding="utf-8")

    out, _ = console.run("new", "空白 报告.gireport", "--organ", ORGAN, "--year", "2024", "--level", "township")
    assert console.shows(f"已新建“空白 报告.gireport”：{ORGAN} 2024年度") in out
    report = "年度 报告.gireport"
    out, _ = console.run("import", report, "来源 数据.json")
    assert console.shows(f"已读入“来源 数据.json”到“{report}”：{ORGAN}") in out
    dumped = console.run_json("dump", report)
    assert dumped["organ"]["name"] == ORGAN  # UTF-8, nothing replaced
    out, _ = console.run("check", report, codes=(0, 1))
    assert console.shows(f"{report}：{ORGAN} 2025年度（草稿）") in out
    [checked] = console.run_json("check", report, "--json", codes=(0, 1))
    assert checked["organ"] == ORGAN and checked["findings"]
    out, _ = console.run("export", report, "--xlsx", "附表 导出.xlsx")
    assert console.shows("已导出") in out
    assert (folder / "附表 导出.xlsx").is_file()
    console.run("sign", report, "--preparer", "张三", "--reviewer", "李四", "--approver", "王五",
                "--explain", "W-oversight=本年度未开展评议", codes=(0, 1))
    console.run("verify", report, "附表 导出.xlsx", codes=(0, 1))
    console.run("unsign", report, "--reason", "数字有误需重新核对", codes=(0, 2))
    out, _ = console.run("aggregate", report, "-o", "汇总 结果.xlsx")
    assert console.shows("已汇总1个单位") in out
    assert (folder / "汇总 结果.xlsx").is_file()
    console.run("--help")
    console.run("--version")
    out, _ = console.run("check", "没有 这个.gireport", codes=(2,))
    assert console.shows("没有 这个.gireport：无法读取") in out
    _, err = console.run("dump", "没有 这个.gireport", codes=(2,))
    assert err.startswith(console.shows("giapp：")) and console.shows("没有 这个.gireport") in err
    _, err = console.run("--no-such-option", codes=(2,))
    assert "giapp" in err


def test_json_is_utf8_even_when_the_console_is_gbk(folder, real_json):
    """Without the fix the JSON came out in GBK with "?" for what GBK lacks."""
    real_json["organ"]["name"] = ORGAN
    source = folder / "来源.json"
    source.write_text(json.dumps(real_json, ensure_ascii=False, default=str), encoding="utf-8")
    result = run_giapp_bytes("check", source, "--json", cwd=folder, env=console_env("gbk"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8"))[0]["organ"] == ORGAN
