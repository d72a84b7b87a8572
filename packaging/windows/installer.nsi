; AuditLight per-user installer (NSIS 3, built on Linux by scripts/installer.sh with makensis).
;
; Why NSIS rather than an MSI from wixl: the uninstaller must *ask* whether to keep the collected
; data (an MSI needs a custom dialog and custom actions that wixl does not build), a per-user MSI
; under %LOCALAPPDATA% trips the ICE rules for per-machine folders, and NSIS builds a native
; 64-bit installer (Target amd64-unicode) that runs under Debian's 64-bit-only Wine in CI.
;
; No administrator rights: everything goes to the current user's profile and HKCU.
;   %LOCALAPPDATA%\Programs\AuditLight      auditlight.exe (GUI), auditlight-cli.exe (console twin),
;                                           auditlight.ico/.png, uninstall.exe
;   Start menu\Programs\AuditLight.lnk      starts auditlight.exe
;   HKCU\Software\Classes\AppUserModelId\io.github.auditlight.auditlight
;                                           registers the AppUserModelID toasts are sent under, so
;                                           Windows shows them with AuditLight's name and icon, with
;                                           CustomActivator = the toast activator's CLSID
;   HKCU\Software\Classes\CLSID\{ACTIVATOR}\LocalServer32
;                                           the exe Windows starts (with -Embedding) when a toast is
;                                           clicked after AuditLight quit (app/notify)
;   HKCU\...\Uninstall\AuditLight           "Installed apps" entry (silent: uninstall.exe /S)
; A running AuditLight is asked to quit first (`auditlight-cli quit`, over its single-instance
; channel) so that its exe can be replaced, and started again after an upgrade.
; The uninstaller quits it too, removes all of that plus the "Start at login" Run value and every
; AuditLight client secret from Credential Manager (`auditlight-cli remove-secrets`), and asks
; whether to keep the data in %LOCALAPPDATA%\AuditLight (silent uninstall keeps it).
;
; Defines passed by scripts/installer.sh: VERSION (0.1.0), FILEVERSION (0.1.0.1), SRCDIR (the
; folder with the two exes and the icons), OUTFILE.

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define APPNAME "AuditLight"
!define AUMID "io.github.auditlight.auditlight"
; The toast activator's COM class: app/notify.ActivatorCLSID.
!define ACTIVATOR "{8D434D82-942B-4072-B792-10EFA4420409}"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\AuditLight"
!define RUNKEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define APPROVEDKEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
; The value name app/login.go writes under the Run key.
!define RUNVALUE "auditlight"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\AuditLight"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${FILEVERSION}"
VIFileVersion "${FILEVERSION}"
VIAddVersionKey /LANG=1033 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APPNAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${APPNAME}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "AuditLight contributors"

!include "MUI2.nsh"
!include "LogicLib.nsh"

!define MUI_ICON "${SRCDIR}\auditlight.ico"
!define MUI_UNICON "${SRCDIR}\auditlight.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\auditlight.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start AuditLight"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Var restart

Function .onInit
  SetShellVarContext current
FunctionEnd

; Asks a running AuditLight (default profile) to quit and waits up to 30 s for it to exit, with
; the console twin from this installer (the installed one may be older). Exit 0: it quit (start it
; again afterwards); 4: it was not running.
Function QuitRunning
  InitPluginsDir
  SetOutPath "$PLUGINSDIR"
  File "/oname=$PLUGINSDIR\quit-cli.exe" "${SRCDIR}\auditlight-cli.exe"
  nsExec::ExecToLog '"$PLUGINSDIR\quit-cli.exe" quit --wait 30s'
  Pop $0
  ${If} $0 == 0
    StrCpy $restart 1
    DetailPrint "AuditLight was running: it has quit and will be started again."
  ${EndIf}
  Delete "$PLUGINSDIR\quit-cli.exe"
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "AuditLight" SecMain
  SectionIn RO
  ; A running AuditLight keeps its exe open: ask it to quit first (also for /S).
  Call QuitRunning
  SetOutPath "$INSTDIR"
  File "${SRCDIR}\auditlight.exe"
  File "${SRCDIR}\auditlight-cli.exe"
  File "${SRCDIR}\auditlight.ico"
  File "${SRCDIR}\auditlight.png"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\auditlight.exe" "" "$INSTDIR\auditlight.ico" 0 SW_SHOWNORMAL "" "Collects your Microsoft 365 audit log and shows whether it is working"

  WriteRegStr HKCU "Software\Classes\AppUserModelId\${AUMID}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "Software\Classes\AppUserModelId\${AUMID}" "IconUri" "$INSTDIR\auditlight.png"
  WriteRegStr HKCU "Software\Classes\AppUserModelId\${AUMID}" "CustomActivator" "${ACTIVATOR}"
  WriteRegStr HKCU "Software\Classes\CLSID\${ACTIVATOR}" "" "AuditLight toast activator"
  WriteRegStr HKCU "Software\Classes\CLSID\${ACTIVATOR}\LocalServer32" "" '"$INSTDIR\auditlight.exe"'

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "AuditLight contributors"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\auditlight.exe,0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" ${ESTIMATEDKB}

  ; An upgrade of a running AuditLight: start the new one, in the tray as at login.
  ${If} $restart == 1
    Exec '"$INSTDIR\auditlight.exe" --hidden'
  ${EndIf}
SectionEnd

Section "Uninstall"
  ; Quit a running AuditLight (its exe is open), then remove every client secret it stored in
  ; Credential Manager: no secret outlives the app, whether or not the data is kept.
  nsExec::ExecToLog '"$INSTDIR\auditlight-cli.exe" quit --wait 30s'
  Pop $0
  nsExec::ExecToLog '"$INSTDIR\auditlight-cli.exe" remove-secrets'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Could not remove AuditLight's secrets from Credential Manager (exit $0): remove the AuditLight:... entries under Windows Credentials by hand."
  ${EndIf}

  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegValue HKCU "${RUNKEY}" "${RUNVALUE}"
  DeleteRegValue HKCU "${APPROVEDKEY}" "${RUNVALUE}"
  DeleteRegKey HKCU "Software\Classes\AppUserModelId\${AUMID}"
  DeleteRegKey HKCU "Software\Classes\CLSID\${ACTIVATOR}"
  DeleteRegKey HKCU "${UNINSTKEY}"

  Delete "$INSTDIR\auditlight.exe"
  Delete "$INSTDIR\auditlight-cli.exe"
  Delete "$INSTDIR\auditlight.ico"
  Delete "$INSTDIR\auditlight.png"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ; The data: settings, the event store and the log (the secret is already gone, above).
  ; Silent uninstall (/S) keeps the data.
  MessageBox MB_YESNO|MB_ICONQUESTION "Keep your collected audit events and settings in $LOCALAPPDATA\AuditLight?$\r$\n$\r$\nChoose No to delete them. (Your client secret has been removed from Credential Manager either way.)" /SD IDYES IDYES keep
    RMDir /r "$LOCALAPPDATA\AuditLight"
  keep:
SectionEnd
