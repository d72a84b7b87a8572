/* TEST FIXTURE for scripts/wine-check.sh only; never shipped or installed on a real Windows.
 *
 * Run while auditlight.exe runs: reports what AuditLight's process shows of a tray, from the
 * windows it owns, and exits 0 only when
 *   - it has exactly one fyne.io/systray window ("SystrayClass", the notify icon's owner), and
 *     the shell knows that window's notify icon: Shell_NotifyIconW(NIM_MODIFY) of (window, 100),
 *     the id systray adds, changes nothing and succeeds only while the icon is registered;
 *   - it has no window titled "SystrayMonitor": the hidden GLFW window Fyne's own tray makes
 *     (fyne v2.8.1 internal/driver/glfw/driver_desktop.go), which the app's own tray avoids.
 * Prints one line per AuditLight window (class, title, visible) and a summary line. */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <wchar.h>

static int systray_windows, fyne_tray_windows, glfw_windows, registered;

static BOOL owned_by_auditlight(HWND w)
{
    DWORD pid = 0;
    WCHAR path[MAX_PATH];
    DWORD n = MAX_PATH;
    BOOL ok;
    HANDLE p;
    GetWindowThreadProcessId(w, &pid);
    p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!p)
        return FALSE;
    ok = QueryFullProcessImageNameW(p, 0, path, &n);
    CloseHandle(p);
    if (!ok || n < 14)
        return FALSE;
    return _wcsicmp(path + n - 14, L"auditlight.exe") == 0;
}

static BOOL CALLBACK each(HWND w, LPARAM unused)
{
    WCHAR cls[256], title[256];
    (void)unused;
    if (!owned_by_auditlight(w))
        return TRUE;
    GetClassNameW(w, cls, 256);
    GetWindowTextW(w, title, 256);
    wprintf(L"window class=%ls title=\"%ls\" visible=%d\n", cls, title, IsWindowVisible(w) ? 1 : 0);
    if (wcscmp(cls, L"SystrayClass") == 0) {
        NOTIFYICONDATAW nid;
        ZeroMemory(&nid, sizeof nid);
        nid.cbSize = sizeof nid;
        nid.hWnd = w;
        nid.uID = 100;
        systray_windows++;
        if (Shell_NotifyIconW(NIM_MODIFY, &nid))
            registered++;
    }
    if (wcscmp(cls, L"GLFW30") == 0)
        glfw_windows++;
    if (wcscmp(title, L"SystrayMonitor") == 0)
        fyne_tray_windows++;
    return TRUE;
}

int main(void)
{
    EnumWindows(each, 0);
    printf("traycheck: systray-windows=%d notify-icons-registered=%d fyne-tray-windows=%d glfw-windows=%d\n",
           systray_windows, registered, fyne_tray_windows, glfw_windows);
    return systray_windows == 1 && registered == 1 && fyne_tray_windows == 0 ? 0 : 1;
}
