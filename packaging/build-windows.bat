@echo off
rem Builds giapp for Windows: the one-folder bundle (dist\giapp\) and, when Inno Setup 6 is
rem installed, the installer (dist\giapp-*-安装程序.exe). Run from a checkout with Python 3.11 or 3.12
rem (64-bit) on PATH as "py".
setlocal
cd /d "%~dp0.."
if not exist packaging\.build-venv\Scripts\python.exe py -3 -m venv packaging\.build-venv || exit /b 1
packaging\.build-venv\Scripts\python -m pip install -q --upgrade pip || exit /b 1
packaging\.build-venv\Scripts\python -m pip install -q . "pyinstaller>=6.10" || exit /b 1
packaging\.build-venv\Scripts\pyinstaller --noconfirm --log-level ERROR --distpath dist --workpath build\pyinstaller packaging\giapp.spec || exit /b 1
rem smoke test: the command line on the demo report (exit 1: its two annex errors)
for %%f in (resources\demo\*.gireport) do dist\giapp\giapp-cli.exe check "%%f"
if not %errorlevel%==1 (echo smoke test failed & exit /b 1)
where iscc >nul 2>nul && iscc packaging\giapp.iss
echo done: dist\giapp
