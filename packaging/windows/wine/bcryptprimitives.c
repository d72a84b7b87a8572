/* TEST FIXTURE for scripts/wine-check.sh only; never shipped or installed on a real Windows.
 *
 * Go 1.24+ programs load bcryptprimitives.dll at start and call ProcessPrng for random bytes.
 * Windows 10+ has it; Debian 12's Wine 8 does not, so without this stand-in the exe dies before
 * main. This DLL is copied into the throwaway Wine prefix of the CI check and implements
 * ProcessPrng with advapi32's RtlGenRandom (SystemFunction036), which Wine implements. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
