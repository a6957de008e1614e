; Hearth for Windows: the setup program (NSIS 3, Modern UI 2).
;
; Compile (from any folder; makensis 3.08 or newer, on Windows or Linux):
;
;   makensis -DVERSION=0.1.0 -DPAYLOAD=dist\Hearth -DOUTFILE=dist\Hearth-0.1.0-setup.exe packaging\windows\hearth.nsi
;
;   VERSION   the [project] version from pyproject.toml, as is (0.1.0, 0.2.0rc1, 1.0.0.dev3 ...).
;   PAYLOAD   the PyInstaller one-folder build: Hearth.exe, hearth-cli.exe and _internal\.
;   OUTFILE   where to write the setup program.
;   Optional:
;   VERSION_QUAD  the numeric X.Y.Z.W of the version resource; normally derived here from VERSION, so
;                 every caller gets the same answer (0.2.0rc1 -> 0.2.0.0, 1.2 -> 1.2.0.0); an unreadable
;                 VERSION stops the build. The text VERSION itself goes into the version strings.
;   PUBLISHER     shown in "Installed apps" and the version resource (default: The Hearth authors).
;   SIGN_CMD      a command that signs a file in place, e.g. -DSIGN_CMD="bash packaging/windows/sign.sh";
;                 it is run on the uninstaller before it is packed and on the finished setup program.
;                 Without it nothing is signed here (sign the setup program afterwards with sign.sh).
;
; Choices:
; - Per user, no administrator rights: Hearth goes to %LOCALAPPDATA%\Programs\Hearth (where Windows
;   itself puts per-user apps), with its uninstall entry, shortcuts and .gguf association under HKCU.
;   Nobody should need an admin to install, update or remove a personal chat app. An all-users variant
;   (MultiUser.nsh) is left out: it elevates, and two kinds of install of one app confuse upgrades.
; - The user's data (%LOCALAPPDATA%\Hearth: conversations, settings, logs and downloaded models) is kept
;   apart from the program and is never touched by an install or an upgrade. The uninstaller keeps it
;   too unless the user asks otherwise: conversations cannot be recreated and models take hours to
;   download again, and reinstalling Hearth (or a newer version) picks them up where they were.
; - Desktop shortcut: offered, off by default (the Start menu is where Windows expects apps). An upgrade
;   keeps one that is already there.
; - The uninstaller removes only what setup put there, then the folder if empty: a user who installs
;   into a folder of their own keeps its other files.
;
; Command line:
;   Setup:      /S silent; /D=C:\path install folder (last, unquoted); /DESKTOPSHORTCUT also create the
;               desktop shortcut; /NOFILEASSOC do not make Hearth open .gguf files.
;   Uninstall:  /S silent (the data folder is kept); /DELETEDATA also delete %LOCALAPPDATA%\Hearth
;               (silent or not: it ticks the box). Uninstall.exe /S /DELETEDATA removes everything.
;   Exit code 2 when Hearth is running and the user (or a silent run) cancels, or /D= is the data folder.
;   Uninstall.exe returns at once (it reruns from %TEMP%); to wait, run it with  /S _?=<install folder>.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

; ---------------------------------------------------------------- inputs

!ifndef VERSION
  !error "VERSION is not defined: pass -DVERSION=X.Y.Z (the version in pyproject.toml)"
!endif
!ifndef PAYLOAD
  !error "PAYLOAD is not defined: pass -DPAYLOAD=<folder of the PyInstaller build holding Hearth.exe>"
!endif
!ifndef OUTFILE
  !error "OUTFILE is not defined: pass -DOUTFILE=<path of the setup program to write>"
!endif
!if ! /FileExists "${PAYLOAD}\Hearth.exe"
  !error "PAYLOAD=${PAYLOAD} has no Hearth.exe: point it at the PyInstaller one-folder build (dist\Hearth)"
!endif
!if ! /FileExists "${PAYLOAD}\hearth-cli.exe"
  !error "PAYLOAD=${PAYLOAD} has no hearth-cli.exe: the build must include the console twin"
!endif
!if ! /FileExists "${PAYLOAD}\_internal"
  !error "PAYLOAD=${PAYLOAD} has no _internal folder: point it at a PyInstaller 6 one-folder build"
!endif
!ifndef PUBLISHER
  !define PUBLISHER "The Hearth authors"
!endif

; VERSION_QUAD: the first three release numbers of VERSION, cut where a PEP 440 suffix starts (a, b, c, rc,
; alpha, beta, pre, dev, post, r, rev; +local; - or _), then .0. Anything else fails the build loudly.
!ifndef VERSION_QUAD
  !define _V_CUT "${VERSION}"
  !macro _HEARTH_CUT_AT MARK
    !searchparse /ignorecase /noerrors "${_V_CUT}${MARK}" "" _V_HEAD "${MARK}"
    !define /redef _V_CUT "${_V_HEAD}"
    !undef _V_HEAD
  !macroend
  !insertmacro _HEARTH_CUT_AT "+"
  !insertmacro _HEARTH_CUT_AT "-"
  !insertmacro _HEARTH_CUT_AT "_"
  !insertmacro _HEARTH_CUT_AT "a"
  !insertmacro _HEARTH_CUT_AT "b"
  !insertmacro _HEARTH_CUT_AT "c"
  !insertmacro _HEARTH_CUT_AT "d"
  !insertmacro _HEARTH_CUT_AT "p"
  !insertmacro _HEARTH_CUT_AT "r"
  !searchparse /noerrors "${_V_CUT}...." "" _V1 "." _V2 "." _V3 "."
  !if "${_V1}" == ""
    !error "VERSION=${VERSION} does not start with a number; pass -DVERSION_QUAD=X.Y.Z.W"
  !endif
  !macro _HEARTH_PART NAME
    !if "${${NAME}}" == ""
      !define /redef ${NAME} 0
    !endif
    !if ${${NAME}} > 65535
      !error "VERSION=${VERSION}: ${${NAME}} is too big for a Windows version number; pass -DVERSION_QUAD"
    !endif
  !macroend
  !insertmacro _HEARTH_PART _V1
  !insertmacro _HEARTH_PART _V2
  !insertmacro _HEARTH_PART _V3
  !define VERSION_QUAD "${_V1}.${_V2}.${_V3}.0"
!endif

; ---------------------------------------------------------------- names

!define APP_NAME "Hearth"
!define APP_EXE "Hearth.exe"
!define CLI_EXE "hearth-cli.exe"
!define UNINSTALLER "Uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Hearth"
!define DATA_DIR "$LOCALAPPDATA\Hearth"
!define PROGID "Hearth.gguf"
!define CLASSES "Software\Classes"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Hearth"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"

!ifdef SIGN_CMD
  !uninstfinalize '${SIGN_CMD} "%1"' = 0
  !finalize '${SIGN_CMD} "%1"' = 0
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include nsDialogs.nsh
!include Sections.nsh

; ---------------------------------------------------------------- pages

!define MUI_ICON "${__FILEDIR__}\hearth.ico"
!define MUI_UNICON "${__FILEDIR__}\hearth.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Run Hearth"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

UninstPage custom un.DataPageCreate un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; ---------------------------------------------------------------- version resource

VIProductVersion "${VERSION_QUAD}"
VIFileVersion "${VERSION_QUAD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Copyright (C) ${PUBLISHER}. Apache License 2.0."

Var InDataDir
Var DeleteData
Var DataCheckbox

; ---------------------------------------------------------------- shared by setup and uninstaller

; Asks the user to close Hearth while Hearth.exe or hearth-cli.exe is running from $INSTDIR. A running
; program's file cannot be opened for writing, so no process list or window class is needed.
!macro HEARTH_CHECK_NOT_RUNNING UN
Function ${UN}CheckNotRunning
  Push $0
  Push $1
check:
  StrCpy $1 ""
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${If} ${Errors}
      StrCpy $1 "${APP_EXE}"
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} $1 == ""
  ${AndIf} ${FileExists} "$INSTDIR\${CLI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    ${If} ${Errors}
      StrCpy $1 "${CLI_EXE}"
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} $1 != ""
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
      "Hearth is running ($1). Please close every Hearth window and command, then click Retry." \
      /SD IDCANCEL IDRETRY check
    DetailPrint "Hearth is running ($INSTDIR\$1); nothing was changed."
    SetErrorLevel 2
    Abort "Hearth is running: close it and try again."
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro HEARTH_CHECK_NOT_RUNNING ""
!insertmacro HEARTH_CHECK_NOT_RUNNING "un."

; Removes the .gguf association, leaving .gguf alone when another program has taken it since.
!macro HEARTH_REMOVE_ASSOCIATION UN
Function ${UN}RemoveAssociation
  Push $0
  DeleteRegKey HKCU "${CLASSES}\${PROGID}"
  DeleteRegValue HKCU "${CLASSES}\.gguf\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "${CLASSES}\.gguf\OpenWithProgids"
  ReadRegStr $0 HKCU "${CLASSES}\.gguf" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKCU "${CLASSES}\.gguf" ""
  ${EndIf}
  DeleteRegKey /ifempty HKCU "${CLASSES}\.gguf"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  Pop $0
FunctionEnd
!macroend
!insertmacro HEARTH_REMOVE_ASSOCIATION ""
!insertmacro HEARTH_REMOVE_ASSOCIATION "un."

; ---------------------------------------------------------------- setup

; Sets $InDataDir to 1 when $INSTDIR is the data folder or inside it (program and data stay apart).
Function CheckInstDir
  StrCpy $InDataDir 0
  StrLen $R8 "${DATA_DIR}"
  StrCpy $R9 "$INSTDIR" $R8
  ${If} $R9 == "${DATA_DIR}"
    StrCpy $R9 "$INSTDIR" 1 $R8
    ${If} $R9 == ""
    ${OrIf} $R9 == "\"
      StrCpy $InDataDir 1
    ${EndIf}
  ${EndIf}
FunctionEnd

Section "Hearth (required)" SecMain
  SectionIn RO
  Call CheckInstDir
  ${If} $InDataDir == 1
    MessageBox MB_OK|MB_ICONSTOP "Hearth cannot be installed into its data folder ${DATA_DIR}." /SD IDOK
    SetErrorLevel 2
    Abort "Choose another folder than ${DATA_DIR}."
  ${EndIf}
  Call CheckNotRunning
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program: files of the old version must not linger next to the new ones.
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
  ${OrIf} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    DetailPrint "Removing the previous version's program files"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${PAYLOAD}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
SectionEnd

Section "Open .gguf model files with Hearth" SecAssoc
  WriteRegStr HKCU "${CLASSES}\${PROGID}" "" "Hearth model file"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${CLASSES}\${PROGID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr HKCU "${CLASSES}\.gguf" "" "${PROGID}"
  WriteRegStr HKCU "${CLASSES}\.gguf\OpenWithProgids" "${PROGID}" ""
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "-Register"
  ; An upgrade where the user unticked a component removes what the previous install made.
  ${IfNot} ${SectionIsSelected} ${SecDesktop}
    Delete "$DESKTOP\${APP_NAME}.lnk"
  ${EndIf}
  ${IfNot} ${SectionIsSelected} ${SecAssoc}
    Call RemoveAssociation
  ${EndIf}
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Function .onInit
  SetShellVarContext current
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DESKTOPSHORTCUT" $R1
  ${IfNot} ${Errors}
  ${OrIf} ${FileExists} "$DESKTOP\${APP_NAME}.lnk"
    !insertmacro SelectSection ${SecDesktop}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOFILEASSOC" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecAssoc}
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  Call CheckInstDir
  ${If} $InDataDir == 1
    Abort ; greys out Next: the data folder is not a place for the program
  ${EndIf}
FunctionEnd

; ---------------------------------------------------------------- uninstaller

Function un.onInit
  SetShellVarContext current
  StrCpy $DeleteData 0
  ${un.GetParameters} $R0
  ClearErrors
  ${un.GetOptions} $R0 "/DELETEDATA" $R1
  ${IfNot} ${Errors}
    StrCpy $DeleteData 1
  ${EndIf}
FunctionEnd

Function un.DataPageCreate
  !insertmacro MUI_HEADER_TEXT "Uninstall Hearth" "Remove Hearth from this computer."
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  StrCpy $1 ""
  ${If} ${FileExists} "${DATA_DIR}\*.*"
    ${un.GetSize} "${DATA_DIR}" "/S=0M" $2 $3 $4
    ${If} $2 >= 1024
      IntOp $2 $2 / 1024
      StrCpy $1 " (about $2 GB)"
    ${ElseIf} $2 > 0
      StrCpy $1 " (about $2 MB)"
    ${EndIf}
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 24u "Hearth will be removed from:$\r$\n$INSTDIR"
  Pop $0
  StrCpy $5 "Your conversations, settings and downloaded models are in ${DATA_DIR}$1."
  StrCpy $5 "$5 They are kept, so installing Hearth again brings them back, unless you tick the box."
  ${NSD_CreateLabel} 0 32u 100% 44u "$5"
  Pop $0
  ${NSD_CreateCheckbox} 0 84u 100% 12u "Also delete my conversations, settings and downloaded models"
  Pop $DataCheckbox
  ${If} $DeleteData == 1
    ${NSD_Check} $DataCheckbox
  ${EndIf}
  GetDlgItem $0 $HWNDPARENT 1
  SendMessage $0 ${WM_SETTEXT} 0 "STR:$(^UninstallBtn)"
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DataCheckbox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $DeleteData 1
  ${Else}
    StrCpy $DeleteData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.CheckNotRunning
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Call un.RemoveAssociation
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; The user's data goes only when they asked for it (the box on the page, or /DELETEDATA).
  ${If} $DeleteData == 1
  ${AndIf} "$LOCALAPPDATA" != ""
    DetailPrint "Deleting ${DATA_DIR}"
    RMDir /r "${DATA_DIR}"
  ${Else}
    DetailPrint "Kept your conversations, settings and models in ${DATA_DIR}"
  ${EndIf}
SectionEnd
