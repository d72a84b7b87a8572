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
;   Start menu\Programs\AuditLight.lnk      starts auditlight.exe; carries the AppUserModelID and the toast
;                                           activator CLSID (SetShortcutAppID)
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
; A 64 MB dictionary (the default is 8 MB): the solid stream holds the GUI exe, the console exe and
; the console exe again (the quit helper), ~41 MB each and nearly identical, and only a window
; larger than one exe lets LZMA find the second and third copies in the first. Halves the
; installer (21.7 -> 10.9 MB on round 3's exes) for ~0.3 more CPU-minutes and ~0.5 GB more memory
; while makensis runs (BENCHMARKS.md, "Binary size and Windows build cost"). Decompressing needs the
; same 64 MB on the user's machine, briefly, while the installer runs.
SetCompressorDictSize 64

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

; Shell property keys (propkey.h) and the COM interfaces SetShortcutAppID uses.
!define CLSID_ShellLink "{00021401-0000-0000-C000-000000000046}"
!define IID_IShellLinkW "{000214F9-0000-0000-C000-000000000046}"
!define IID_IPersistFile "{0000010b-0000-0000-C000-000000000046}"
!define IID_IPropertyStore "{886D8EEB-8CF2-4446-8D02-CDBA1DBDCF99}"
!define FMTID_AppUserModel "{9F4C2855-9F79-4B39-A8D0-E1D42DE1D5F3}"

; SetShortcutAppID writes System.AppUserModel.ID (pid 5, VT_LPWSTR) = ${AUMID} and
; System.AppUserModel.ToastActivatorCLSID (pid 26, VT_CLSID) = ${ACTIVATOR} into the shortcut $R0
; through IShellLink + IPropertyStore (vtable: IPersistFile Load 5 / Save 6, IPropertyStore
; SetValue 6 / Commit 7). $R9 = "set" or the step that failed (never fatal: the registry
; registration alone also lets toasts appear). Wine's shell links accept the calls but do not store
; the properties, so only a real Windows shows the result.
Function SetShortcutAppID
  StrCpy $R9 "ShellLink unavailable"
  System::Call 'ole32::CoCreateInstance(g "${CLSID_ShellLink}", p 0, i 1, g "${IID_IShellLinkW}", *p .r2) i .r3'
  ${If} $3 = 0
    StrCpy $R9 "IPersistFile unavailable"
    System::Call '$2->0(g "${IID_IPersistFile}", *p .r4) i .r3'
    ${If} $3 = 0
      StrCpy $R9 "loading the shortcut failed"
      System::Call '$4->5(w R0, i 2) i .r3' ; Load(path, STGM_READWRITE)
      ${If} $3 = 0
        StrCpy $R9 "IPropertyStore unavailable"
        System::Call '$2->0(g "${IID_IPropertyStore}", *p .r5) i .r3'
        ${If} $3 = 0
          ; PROPVARIANT = vt (2 bytes) + 3 reserved words + a pointer-sized union (24 bytes on x64).
          System::Call '*(w "${AUMID}") p .r6'
          System::Call '*(&i2 31, &i2 0, &i2 0, &i2 0, p r6, p 0) p .r7' ; VT_LPWSTR
          System::Call '*(g "${FMTID_AppUserModel}", i 5) p .r8'
          StrCpy $R9 "setting the AppUserModelID failed"
          System::Call '$5->6(p r8, p r7) i .r3'
          ${If} $3 = 0
            ; SetValue copied the value: the buffers can go before the next property.
            System::Free $6
            System::Free $7
            System::Free $8
            System::Call '*(g "${ACTIVATOR}") p .r6'
            System::Call '*(&i2 72, &i2 0, &i2 0, &i2 0, p r6, p 0) p .r7' ; VT_CLSID
            System::Call '*(g "${FMTID_AppUserModel}", i 26) p .r8'
            StrCpy $R9 "setting the toast activator failed"
            System::Call '$5->6(p r8, p r7) i .r3'
          ${EndIf}
          ${If} $3 = 0
            StrCpy $R9 "committing the properties failed"
            System::Call '$5->7() i .r3'
          ${EndIf}
          ${If} $3 = 0
            StrCpy $R9 "saving the shortcut failed"
            System::Call '$4->6(p 0, i 1) i .r3' ; Save(NULL, TRUE)
            ${If} $3 = 0
              StrCpy $R9 "set"
            ${EndIf}
          ${EndIf}
          System::Free $6
          System::Free $7
          System::Free $8
          System::Call '$5->2()'
        ${EndIf}
      ${EndIf}
      System::Call '$4->2()'
    ${EndIf}
    System::Call '$2->2()'
  ${EndIf}
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
  ; The shortcut carries the AppUserModelID and the toast activator (as Windows' desktop-toast
  ; guidance asks), besides the registry registration below.
  StrCpy $R0 "$SMPROGRAMS\${APPNAME}.lnk"
  Call SetShortcutAppID
  DetailPrint "Start-menu shortcut AppUserModelID: $R9"

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
