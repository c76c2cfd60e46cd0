/*
 * netsh.exe stand-in for the WinHTTP proxy path under wine, whose own
 * netsh.exe prints nothing. It answers only `netsh winhttp show proxy`,
 * printing the layout Windows Server 2012 R2 to 2025 print (English):
 *
 *   Current WinHTTP proxy settings:
 *
 *       Proxy Server(s) :  127.0.0.1:3128
 *       Bypass List     :  (none)
 *
 * or, with no proxy set,
 *
 *   Current WinHTTP proxy settings:
 *
 *       Direct access (no proxy server).
 *
 * The proxy comes from the environment variable HVR_WINHTTP_PROXY (and
 * the bypass list from HVR_WINHTTP_BYPASS), which wine passes on from the
 * Linux side: scripts/test-windows.sh sets them per run. Lines end in
 * CRLF as on Windows (stdout in text mode). Test-only, never
 * part of a release. Any other command line exits 1 with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc != 4 || _stricmp(argv[1], "winhttp") != 0 || _stricmp(argv[2], "show") != 0 ||
	    _stricmp(argv[3], "proxy") != 0) {
		fprintf(stderr, "netsh stand-in: only 'netsh winhttp show proxy' is supported\n");
		return 1;
	}
	const char *proxy = getenv("HVR_WINHTTP_PROXY");
	const char *bypass = getenv("HVR_WINHTTP_BYPASS");
	printf("\nCurrent WinHTTP proxy settings:\n\n");
	if (proxy == NULL || proxy[0] == '\0') {
		printf("    Direct access (no proxy server).\n\n");
		return 0;
	}
	printf("    Proxy Server(s) :  %s\n", proxy);
	printf("    Bypass List     :  %s\n\n", (bypass != NULL && bypass[0] != '\0') ? bypass : "(none)");
	return 0;
}
