; Inno Setup 6 script: the Windows installer of giapp (政府信息公开工作年度报告).
; Build the bundle first (packaging\build-windows.bat), then: iscc packaging\giapp.iss
; Installs per machine into Program Files, adds a Start-menu entry, and associates .gireport
; report files with giapp and their own icon.

#define AppName "政府信息公开工作年度报告"
#define AppVersion "0.1.0"
#define AppExe "giapp.exe"

[Setup]
AppId={{6C1B8E2A-4F7D-4C1E-9B43-7A51D2E0C9A1}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=giapp
DefaultDirName={autopf}\giapp
DefaultGroupName={#AppName}
OutputDir=..\dist
OutputBaseFilename=giapp-{#AppVersion}-安装程序
SetupIconFile=..\resources\icons\giapp.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
PrivilegesRequiredOverridesAllowed=dialog

[Languages]
; Inno Setup ships Chinese (Simplified) among its unofficial translations only, not in its
; Languages folder: CI puts it there (Files/Languages/Unofficial/ChineseSimplified.isl of the
; compiler's own release). Without it the wizard's own texts are English; ours stay Chinese.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma warning "Languages\ChineseSimplified.isl is not installed with this Inno Setup: the wizard's texts are English"
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "在桌面创建快捷方式"; GroupDescription: "附加任务："
Name: "association"; Description: "用本程序打开年度报告文件（.gireport）"; GroupDescription: "附加任务："

[Files]
Source: "..\dist\giapp\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\resources\icons\gireport.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "填报、校验、签发、导出政府信息公开工作年度报告"
Name: "{group}\使用手册"; Filename: "{app}\_internal\giapp\resources\manual\index.html"
Name: "{group}\卸载 {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
Root: HKA; Subkey: "Software\Classes\.gireport"; ValueType: string; ValueName: ""; ValueData: "giapp.report"; Flags: uninsdeletevalue; Tasks: association
Root: HKA; Subkey: "Software\Classes\giapp.report"; ValueType: string; ValueName: ""; ValueData: "政府信息公开工作年度报告"; Flags: uninsdeletekey; Tasks: association
Root: HKA; Subkey: "Software\Classes\giapp.report\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\gireport.ico"; Tasks: association
Root: HKA; Subkey: "Software\Classes\giapp.report\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""; Tasks: association

[Run]
Filename: "{app}\{#AppExe}"; Description: "立即运行{#AppName}"; Flags: nowait postinstall skipifsilent
