// Package etwsession holds the one ETW real-time session hvrdoctor runs on
// Windows ("hvrdoctor-<pid>"), shared by every part that needs kernel
// events: the per-file backend (Microsoft-Windows-Kernel-File) and the
// per-process disk bytes (Microsoft-Windows-Kernel-Disk plus Kernel-File
// for file names). Each part subscribes to the providers it needs; the
// session starts with the first subscription and stops when the last one
// is closed.
//
// Why these providers and this kind of session: the classic kernel DiskIo
// events (DiskIo_TypeGroup1, the ones Resource Monitor reads) are only
// delivered to the single "NT Kernel Logger" session or, from Windows 10
// SDK build 20348 on, to a SystemTraceProvider session; taking the NT
// Kernel Logger would stop any other tool using it, and golang-etw's
// NewSystemTraceProviderSession refuses older Windows. The manifest
// provider Microsoft-Windows-Kernel-Disk ({C7BDE69A-E1E0-4177-B6EF-283AD1525271})
// logs the same disk requests (DiskRead 10, DiskWrite 11, DiskFlush 14,
// with DiskNumber, TransferSize, FileObject, IssuingThreadId) and can be
// enabled by any Administrator in an ordinary private real-time session,
// next to other tracing tools. The library is github.com/tekert/golang-etw
// v0.6.2 (already used by the per-file backend); it builds for
// windows/amd64 only, so other Windows builds say ETW is unavailable.
//
// The decoding helpers (Event, PropUint) are portable so the decoders can
// be tested on every OS with fixtures typed from the manifests.
package etwsession
