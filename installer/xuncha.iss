; 巡察工作台 (Xuncha Workbench): the Windows installer. Inno Setup 6.3 or newer.
;
; Normally run by installer/build.py after PyInstaller. By hand, from the repository root:
;   ISCC /DSourceDir=dist\xuncha /DAppVersion=0.1.0 /Odist installer\xuncha.iss
;
; - Per-user: no administrator rights (PrivilegesRequired=lowest), installed into
;   %LOCALAPPDATA%\Programs\XunchaWorkbench, a Start-menu entry for this user.
; - The program folder holds only the program. The user's data (database, key file, attachments)
;   lives in %LOCALAPPDATA%\Xuncha\XunchaWorkbench (app/paths.py, platformdirs), so an upgrade
;   replaces the program and never touches the data, and an uninstall leaves the data in place.
; - The setup wizard speaks Simplified Chinese when ChineseSimplified.isl is found (see below).
; - After copying, the setup runs xuncha-cli.exe --self-test (temporary folder only) and says so if
;   the installed copy cannot open a database or write a PDF.

#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\dist\xuncha"
#endif
#ifndef AppVersion
  ; The version PyInstaller wrote into xuncha.exe (from app/__init__.py).
  #define AppVersion GetVersionNumbersString(AddBackslash(SourceDir) + "xuncha.exe")
#endif
#define AppName "巡察工作台"
#define AppExe "xuncha.exe"
#define CliExe "xuncha-cli.exe"

; ChineseSimplified.isl is an unofficial translation: Inno Setup does not install it. Use, in order,
; the file given with /DChineseIsl=PATH, one placed beside this script, one copied into Inno Setup's
; Languages (or Languages\Unofficial) folder. Without any, the wizard is in English.
#ifndef ChineseIsl
  #if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
    #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
  #elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
    #define ChineseIsl AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl"
  #elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
    #define ChineseIsl AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl"
  #endif
#endif
#ifndef ChineseIsl
  #pragma message "ChineseSimplified.isl not found: the setup wizard will be in English only"
#endif

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{357186BB-9BCA-4695-BC2E-2324083361F2}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Xuncha
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={localappdata}\Programs\XunchaWorkbench
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
OutputDir={#SourcePath}..\dist
OutputBaseFilename=xuncha-setup-{#AppVersion}
SetupIconFile=xuncha.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
#ifdef ChineseIsl
Name: "chs"; MessagesFile: "{#ChineseIsl}"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.SelfTestRunning=Checking the installation...
en.SelfTestFailed=The installation check failed (exit status %1): the program may not be able to open its database or produce PDF documents.%n%nRun "{app}\xuncha-cli.exe --self-test" in a command window to see the reason.
en.DataKept=Your data has not been removed. It is still in:%n%1%n%nDelete that folder yourself only after the data has been backed up or handed over.
en.StartMenuComment=Inspection workbench
#ifdef ChineseIsl
chs.SelfTestRunning=正在检查安装……
chs.SelfTestFailed=安装自检未通过（退出码 %1），程序可能无法打开数据库或生成 PDF 文书。%n%n请在命令提示符中运行“{app}\xuncha-cli.exe --self-test”查看原因。
chs.DataKept=您的数据没有被删除，仍保存在：%n%1%n%n请在数据已备份或移交后，再自行删除该文件夹。
chs.StartMenuComment=巡察工作台
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle, so no file of an older version lingers. Only program files
; live here; the user's data is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:StartMenuComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Whatever the program left in its own folder (never the user's data, which is not here).
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
function DataFolder(): String;
begin
  { app/paths.py: platformdirs.user_data_dir("XunchaWorkbench", "Xuncha") }
  Result := ExpandConstant('{localappdata}\Xuncha\XunchaWorkbench');
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    WizardForm.StatusLabel.Caption := CustomMessage('SelfTestRunning');
    if Exec(ExpandConstant('{app}\{#CliExe}'), '--self-test', ExpandConstant('{app}'), SW_HIDE,
            ewWaitUntilTerminated, ResultCode) then
    begin
      Log(Format('Self-test exit status: %d', [ResultCode]));
      if (ResultCode <> 0) and not WizardSilent then
        MsgBox(FmtMessage(ExpandConstant(CustomMessage('SelfTestFailed')), [IntToStr(ResultCode)]),
               mbError, MB_OK);
    end
    else
      Log('Self-test could not start: ' + SysErrorMessage(ResultCode));
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The uninstaller removes only what the setup installed; the data folder stays. Say so. }
  if (CurUninstallStep = usPostUninstall) and DirExists(DataFolder()) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataFolder()]), mbInformation, MB_OK);
end;
