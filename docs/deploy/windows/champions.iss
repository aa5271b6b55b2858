; Inno Setup script for the Champions desktop app on Windows.
;
; *** UNTESTED HERE: written on Linux, where Inno Setup cannot run. Build it once on a Windows
; *** machine and try a silent install in a VM before rolling it out.
;
; Build (on Windows, Inno Setup 6.3 or newer):
;   py scripts\build.py                       -> dist\champions\champions.exe (+ champions-console.exe)
;   iscc /DAppVersion=0.1.0 docs\deploy\windows\champions.iss
;                                             -> dist\ChampionsSetup-0.1.0.exe
;
; Silent install with the organisation's settings (run as an administrator, e.g. by Intune, SCCM
; or a GPO start-up script):
;   ChampionsSetup-0.1.0.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CONFIG="\\server\share\champions.toml" /LOG="%TEMP%\champions-setup.log"
; or put champions.toml beside ChampionsSetup-0.1.0.exe and leave out /CONFIG. The file is copied
; to %ProgramData%\Champions\champions.toml (see docs/deploy/champions.toml for an example), a
; folder that only administrators can change. Re-running the installer with a new file replaces
; it; uninstalling leaves it (and every user's records) in place.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Champions"
#define BuildDir "..\..\..\dist\champions"

[Setup]
; Keep this AppId for every release: it is how Windows knows an upgrade from a second install.
AppId={{6C2D7E0B-4F8A-4B59-9E2C-1B7F3A9D5E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Champions
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine: needed to write %ProgramData%\Champions and Program Files.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\..\dist
OutputBaseFilename=ChampionsSetup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running Champions first (it saves as it goes) and reopens it afterwards.
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\champions.exe
; Sign the installer and the uninstaller (define a sign tool named "signtool" in the IDE or with
; iscc "/Ssigntool=signtool.exe sign /fd sha256 /tr http://timestamp.example /td sha256 /a $f"):
;SignTool=signtool

[Files]
; The PyInstaller one-folder build, as it is.
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The managed settings: from /CONFIG=path, else from champions.toml beside the installer.
Source: "{code:ConfigSource}"; DestDir: "{commonappdata}\Champions"; DestName: "champions.toml"; \
  Flags: external ignoreversion uninsneveruninstall; Check: HasConfig

[Dirs]
Name: "{commonappdata}\Champions"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\champions.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\champions.exe"; Tasks: desktopicon

[Tasks]
Name: desktopicon; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
; %ProgramData% lets ordinary users create files in new subfolders by inheritance; take that away,
; so a user cannot drop a champions.toml (with its proxy and CA bundle) for everyone on the laptop.
; SIDs, not names, so it works on any language of Windows: Administrators, SYSTEM, Users.
Filename: "{sys}\icacls.exe"; Parameters: """{commonappdata}\Champions"" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX"; \
  Flags: runhidden waituntilterminated
; A quick check that the installed app starts (writes nothing; its output goes to the setup log).
Filename: "{app}\champions-console.exe"; Parameters: "--version"; Flags: runhidden waituntilterminated
Filename: "{app}\champions.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function ConfigSource(Param: String): String;
begin
  Result := ExpandConstant('{param:CONFIG|}');
  if Result = '' then
    Result := ExpandConstant('{src}\champions.toml');
end;

function HasConfig(): Boolean;
begin
  Result := FileExists(ConfigSource(''));
end;

function InitializeSetup(): Boolean;
var
  Given: String;
begin
  Result := True;
  Given := ExpandConstant('{param:CONFIG|}');
  if (Given <> '') and not FileExists(Given) then
  begin
    { A silent install must not quietly go ahead without the settings IT meant to set. }
    Log('The settings file given with /CONFIG was not found: ' + Given);
    SuppressibleMsgBox('The settings file given with /CONFIG was not found:' + #13#10 + Given,
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
