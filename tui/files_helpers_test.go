package tui

import (
	"context"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hvrdoctor/hvrdoctor/sampler"
	"github.com/hvrdoctor/hvrdoctor/sampler/fileio"
	"github.com/hvrdoctor/hvrdoctor/views"
)

// replayFiles is a replay of per-file intervals, the test double for
// FileSource: the sequence below is what the ETW backend reports on the
// recorded guest of testScene (same PIDs and start times), one interval a
// second. The real backends are tested against real writers in
// sampler/fileio and by the tmux test in files_tmux_test.go.
type replayFiles struct {
	info fileio.Info
	ivs  []fileio.Interval
	next int
}

func (r *replayFiles) Read(ctx context.Context) (fileio.Interval, error) {
	if r.next >= len(r.ivs) {
		return fileio.Interval{}, io.EOF
	}
	r.next++
	return r.ivs[r.next-1], nil
}

func (r *replayFiles) Info() fileio.Info { return r.info }

// Paths of the recorded scene.
const (
	tempdbPath  = `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA\tempdb.mdf`
	templogPath = `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA\templog.ldf`
	salesPath   = `D:\SQLData\MSSQL16.MSSQLSERVER\MSSQL\DATA\Sales2026_Data.mdf`
	vbkPath     = `E:\VeeamBackup\Jobs\Daily SQL01 image-level backup\SQL01.vm-1042D2026-11-24T143000_7F3A.vbk`
	defPath     = `C:\ProgramData\Microsoft\Windows Defender\Scans\mpcache-3E1F0C.bin`
	cabPath     = `C:\Windows\SoftwareDistribution\Download\5d2a\windows11.0-kb5046617-x64.cab`
	etlPath     = `C:\Windows\System32\LogFiles\WMI\RtBackup\EtwRTEventLog-System.etl`
	zipPath     = `C:\Temp\export\orders-2026-11-24.7z`
)

// zipPID is a short-lived 7z.exe that starts and exits within interval 3:
// the process sampler never sees it, the per-file backend does.
const zipPID = 5150

// sceneFileActivity is the files each process of testScene touches per
// second; they add up to the process rates of the scene.
func sceneFileActivity() []fileio.FileActivity {
	key := func(pid int32, path string) fileio.FileKey {
		return fileio.FileKey{Proc: sampler.ProcKey{PID: pid, Start: 100}, Path: path}
	}
	return []fileio.FileActivity{
		{Key: key(4242, tempdbPath), Name: "sqlservr.exe", WriteBytes: 40 * mib, WriteCalls: 640},
		{Key: key(4242, templogPath), Name: "sqlservr.exe", WriteBytes: 10 * mib, WriteCalls: 2560},
		{Key: key(4242, salesPath), Name: "sqlservr.exe", ReadBytes: 2 * mib, ReadCalls: 256},
		{Key: key(3100, vbkPath), Name: "VeeamAgent.exe", WriteBytes: 20 * mib, WriteCalls: 20},
		{Key: key(812, defPath), Name: "MsMpEng.exe", WriteBytes: 1 * mib, WriteCalls: 16},
		{Key: key(812, cabPath), Name: "MsMpEng.exe", ReadBytes: 30 * mib, ReadCalls: 480},
		{Key: key(900, etlPath), Name: "svchost.exe", WriteBytes: 256 << 10, WriteCalls: 64},
	}
}

// sceneFileIntervals records n intervals matching sceneSnapshots(n): the
// first is the baseline's (opened with the engine), interval 3 has the
// short-lived 7z.exe writing 8 MiB.
func sceneFileIntervals(n int) []fileio.Interval {
	ivs := make([]fileio.Interval, n)
	for i := range ivs {
		iv := fileio.Interval{Time: sceneStart.Add(time.Duration(i) * time.Second), Elapsed: time.Second}
		if i == 0 {
			iv.Elapsed = 0
		} else {
			iv.Files = sceneFileActivity()
		}
		if i == 3 {
			iv.Files = append(iv.Files, fileio.FileActivity{
				Key:  fileio.FileKey{Proc: sampler.ProcKey{PID: zipPID, Start: 100 + 2}, Path: zipPath},
				Name: "7z.exe", WriteBytes: 8 * mib, WriteCalls: 8,
			})
		}
		procs := map[sampler.ProcKey]*sampler.ExternalActivity{}
		var order []sampler.ProcKey
		for _, f := range iv.Files {
			p := procs[f.Key.Proc]
			if p == nil {
				p = &sampler.ExternalActivity{Key: f.Key.Proc, Name: f.Name}
				procs[f.Key.Proc] = p
				order = append(order, f.Key.Proc)
			}
			p.WriteBytes += f.WriteBytes
			p.ReadBytes += f.ReadBytes
			p.WriteTotal, p.ReadTotal = p.WriteBytes*uint64(i), p.ReadBytes*uint64(i)
		}
		for _, k := range order {
			iv.Processes = append(iv.Processes, *procs[k])
		}
		ivs[i] = iv
	}
	return ivs
}

// etwInfo is the recorded backend's Info.
var etwInfo = fileio.Info{Backend: fileio.BackendETW, AllProcesses: true,
	Counts: "bytes of read and write requests seen by the Microsoft-Windows-Kernel-File ETW provider",
	Limits: "paging I/O under System"}

// newFilesModel is a root model over the scene and its per-file replay at
// w x h. The engine is told no process outside the scene is alive, so the
// short-lived 7z.exe is merged as exited.
func newFilesModel(t testing.TB, n, w, h int) (*Model, *replayFiles) {
	t.Helper()
	return newFilesModelASCII(t, n, w, h, false)
}

// newFilesModelASCII is newFilesModel, drawn with 7-bit characters when
// ascii is set (--ascii).
func newFilesModelASCII(t testing.TB, n, w, h int, ascii bool) (*Model, *replayFiles) {
	t.Helper()
	src := sampler.NewReplaySourceInfo(sceneSnapshots(n), sampler.SourceInfo{Name: "replay", WriteLabel: "storage-layer writes"})
	e, err := sampler.NewEngine(src, sampler.Config{Interval: time.Second, ProcessAlive: func(sampler.ProcKey) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	files := &replayFiles{info: etwInfo, ivs: sceneFileIntervals(n)}
	mode := views.Braille
	if ascii {
		mode = views.ASCII
	}
	m := New(Options{Sampler: e, Interval: time.Second, Host: "lab-vm", Mode: mode, ASCII: ascii, FileSource: files})
	m.sampling.tick = func(gen int, _ time.Duration) tea.Cmd { return func() tea.Msg { return tickMsg{gen: gen} } }
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, files
}
