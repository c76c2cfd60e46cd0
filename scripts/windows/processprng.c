/*
 * bcryptprimitives.dll stand-in for running hvrdoctor.exe and Go test
 * binaries under wine 8, which has no bcryptprimitives.dll. Go 1.26's
 * runtime loads that DLL from System32 at start and calls ProcessPrng for
 * its random numbers; without it the binary aborts before main.
 *
 * ProcessPrng(PBYTE pbData, SIZE_T cbData) is documented to always
 * succeed and return TRUE. This one fills the buffer with advapi32's
 * RtlGenRandom (exported as SystemFunction036), which takes a ULONG
 * length, so large requests are served in chunks.
 *
 * Test-only: scripts/test-windows.sh builds it with x86_64-w64-mingw32-gcc
 * and copies it into the wine prefix's windows/system32. It is never part
 * of a release.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *rtlgenrandom_fn)(PVOID, ULONG);

static rtlgenrandom_fn rtlgenrandom(void)
{
	static rtlgenrandom_fn fn;
	if (fn == NULL) {
		HMODULE advapi = LoadLibraryA("advapi32.dll");
		if (advapi != NULL)
			fn = (rtlgenrandom_fn)(void *)GetProcAddress(advapi, "SystemFunction036");
	}
	return fn;
}

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	rtlgenrandom_fn gen = rtlgenrandom();
	if (gen == NULL)
		return FALSE;
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!gen(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst;
	(void)reason;
	(void)reserved;
	return TRUE;
}
