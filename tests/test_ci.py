"""The CI workflow (.github/workflows/build.yml) parses and does what issue 16 asks on each system:
set up Python 3.11, install, test, build the bundle, make the installer (.exe / .deb), install it,
smoke-test the installed program and keep the installer as the build's artifact."""

import ast
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"


@pytest.fixture(scope="module")
def jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def step(job: dict, words: str) -> dict:
    """The one step whose name has all these words."""
    found = [s for s in job["steps"] if all(w.lower() in s.get("name", "").lower() for w in words.split())]
    assert len(found) == 1, f"no single step named with {words!r}: {[s.get('name') for s in job['steps']]}"
    return found[0]


def test_the_workflow_parses_and_has_both_jobs(jobs):
    assert set(jobs) == {"windows", "linux", "linux-old"}
    assert jobs["windows"]["runs-on"].startswith("windows")
    assert all(s.get("name") for job in jobs.values() for s in job["steps"])


def test_the_windows_job(jobs):
    job = jobs["windows"]
    names = [s["name"] for s in job["steps"]]
    python = step(job, "set up python")
    assert python["uses"].startswith("actions/setup-python@") and python["with"]["python-version"] == "3.11"
    assert 'pip install -e ".[test]"' in step(job, "install test tools")["run"]
    assert '-m "not needs_linux_tools"' in step(job, "run tests")["run"]
    assert "packaging\\giapp.spec" in step(job, "build pyinstaller bundle")["run"]
    assert "packaging\\giapp.iss" in step(job, "compile installer iscc")["run"]
    assert "/VERYSILENT" in step(job, "install silently")["run"]
    smoke = step(job, "smoke-test installed")["run"]
    assert "--version" in smoke and " check " in smoke and "LASTEXITCODE -ne 1" in smoke
    upload = step(job, "upload installer")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "dist/giapp-*.exe"
    order = ["set up python", "install test tools", "run tests", "build pyinstaller bundle", "compile installer",
             "install silently", "smoke-test", "upload"]
    assert [names.index(step(job, words)["name"]) for words in order] == sorted(
        names.index(step(job, words)["name"]) for words in order)


def test_the_linux_job(jobs):
    job = jobs["linux"]
    assert "3.11" in job["container"]
    assert "packaging/setup.sh" in step(job, "set up python")["run"]
    assert "pytest" in step(job, "run tests")["run"]
    assert "packaging/build-linux.sh" in step(job, "build pyinstaller bundle")["run"]
    assert "packaging/build-deb.sh" in step(job, "build .deb")["run"]
    assert "apt-get install" in step(job, "install .deb")["run"]
    smoke = step(job, "smoke-test installed")["run"]
    assert "giapp --version" in smoke and "giapp check" in smoke
    assert "dist/giapp_*.deb" in step(job, "upload .deb")["with"]["path"]


def test_the_old_linux_job(jobs):
    """The .deb for older systems: built in a bullseye chroot and installed into a clean one, on a
    virtual machine (chroot and mount), not in a container."""
    job = jobs["linux-old"]
    assert job["runs-on"].startswith("ubuntu") and "container" not in job
    assert "debootstrap" in step(job, "install debootstrap")["run"]
    assert "packaging/build-old-linux.sh dist/bullseye" in step(job, "build .deb chroot")["run"]
    smoke = step(job, "install .deb clean chroot")["run"]
    assert "packaging/test-deb-chroot.sh dist/bullseye/giapp_*.deb bullseye" in smoke
    assert step(job, "upload .deb")["with"]["path"] == "dist/bullseye/giapp_*.deb"


def test_the_linux_only_tests_are_marked(tmp_path):
    """What the Windows job leaves out: the tests that run poppler, LibreOffice or bash."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                             "-m", "needs_linux_tools", "tests/test_export.py", "tests/test_signoff.py",
                             "tests/test_bundle.py"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    chosen = {line.split("::")[-1].split("[")[0] for line in result.stdout.splitlines() if "::" in line}
    assert chosen == {
        "test_an_empty_item_is_never_printed_as_a_bare_heading", "test_signed_report_has_no_draft_mark_its_date_and_only_its_code",
        "test_drafts_say_so_on_every_page_and_carry_no_code", "test_pdf_fonts_all_embedded_a4_and_metadata",
        "test_pdf_text_in_reading_order", "test_pdf_pages_numbered_odd_right_even_left_and_drafts_marked",
        "test_libreoffice_reads_our_word_report", "test_libreoffice_recomputes_our_excel_formulas_to_our_values",
        "test_sign_locks_the_report_and_the_exports_lose_the_draft_mark", "test_linux_bundle_builds_and_passes_its_smoke_test"}
    tools = ('"pdftotext"', "pdf_text(", "pdffonts(", "pdfinfo", "soffice", "build-linux.sh", "build-deb.sh", "objdump")
    for path in (ROOT / "tests").glob("test_*.py"):  # a new test calling these tools is marked too
        if path.name == "test_ci.py":
            continue
        source = path.read_text(encoding="utf-8")
        if "pytestmark = pytest.mark.needs_linux_tools" in source:
            continue  # the whole module
        for node in ast.parse(source).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                marks = [ast.unparse(d) for d in node.decorator_list]
                uses = [t for t in tools if t in ast.get_source_segment(source, node)]
                assert not uses or "pytest.mark.needs_linux_tools" in marks, (path.name, node.name, uses)
