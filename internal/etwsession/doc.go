// Package etwsession holds the one ETW real-time session hvrdoctor runs on
// Windows ("hvrdoctor-<pid>"), shared by every part that needs kernel
// events: the per-file backend (Microsoft-Windows-Kernel-File) and the
// per-process disk bytes (Microsoft-Windows-Kernel-Disk plus Kernel-File
// for file names). Each part subscribes to the providers it needs; the
// session starts with the first subscription and stops when the last one
// is closed.
//
// Why these providers and this kind of session: the classic kernel DiskIo
// events (DiskIo_TypeGroup1) come from the SystemTraceProvider, which
// writes to the single "NT Kernel Logger" session or, from Windows 8 on,
// to at most 8 system-logger sessions, two of whose slots are reserved
// ("Configuring and Starting a SystemTraceProvider Session"; per system
// provider through EnableTraceEx2 from Windows 10 SDK build 20348 on).
// Taking the NT Kernel Logger would stop any other tool using it, and
// golang-etw v0.6.2's NewSystemTraceProviderSession panics on build 20348
// and later (its version check is inverted). The manifest provider
// Microsoft-Windows-Kernel-Disk ({C7BDE69A-E1E0-4177-B6EF-283AD1525271})
// logs the disk requests (DiskRead 10, DiskWrite 11, DiskFlush 14, with
// DiskNumber, TransferSize, FileObject, IssuingThreadId) and can be
// enabled in an ordinary private real-time session, next to other tracing
// tools, by Administrators and members of Performance Log Users
// (EnableTraceEx2); at most 8 sessions can enable one manifest provider.
// Whether Resource Monitor counts the same requests is not documented.
// The library is github.com/tekert/golang-etw v0.6.2 (already used by the
// per-file backend); it builds for windows/amd64 only, so other Windows
// builds say ETW is unavailable.
//
// The decoding helpers (Event, PropUint) are portable so the decoders can
// be tested on every OS with fixtures typed from the manifests.
package etwsession
