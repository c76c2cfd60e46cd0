package fileio

import (
	"testing"

	"github.com/mattn/go-runewidth"
)

func TestShortenPath(t *testing.T) {
	for _, c := range []struct {
		path  string
		width int
		want  string
	}{
		{`C:\pagefile.sys`, 80, `C:\pagefile.sys`},
		{`C:\Users\Administrator\AppData\Local\Temp\pagefile.sys`, 24, `C:\…\Temp\pagefile.sys`},
		{`C:\Users\Administrator\AppData\Local\Temp\pagefile.sys`, 30, `C:\Users\…\Temp\pagefile.sys`},
		{`C:\Users\Administrator\AppData\Local\Temp\pagefile.sys`, 36, `C:\Users\…\Local\Temp\pagefile.sys`},
		{"/var/lib/mysql/data/ibdata1", 22, "/var/…/data/ibdata1"},
		{"/var/lib/mysql/data/ibdata1", 26, "/var/…/mysql/data/ibdata1"},
		{"/var/lib/mysql/data/ibdata1", 27, "/var/lib/mysql/data/ibdata1"},
		{`\\fs01\share\backups\2026\vm-full.vhdx`, 30, `\\fs01\…\2026\vm-full.vhdx`},
		{"/a/b/a-very-long-file-name-of-a-database-log.ldf", 30, "/…/a-very-long…atabase-log.ldf"},
		{"/x/y/z.txt", 3, "z…t"},
		{"/x/y/z.txt", 1, "z"},
		{"/x/y/z.txt", 0, ""},
	} {
		got := ShortenPath(c.path, c.width)
		if got != c.want {
			t.Errorf("ShortenPath(%q, %d) = %q, want %q", c.path, c.width, got, c.want)
		}
		if w := runewidth.StringWidth(got); w > c.width {
			t.Errorf("ShortenPath(%q, %d) = %q is %d cells wide", c.path, c.width, got, w)
		}
	}
}

// Every width from 1 to the full length yields a result that fits.
func TestShortenPathAlwaysFits(t *testing.T) {
	for _, p := range []string{
		"/var/lib/postgresql/16/main/pg_wal/000000010000000000000042",
		`C:\ProgramData\Microsoft\Windows Defender\Scans\History\Service\DetectionHistory\db.bin`,
		"/home/用户/文档/報告.docx",
		"relative/dir/file",
	} {
		for w := 1; w <= runewidth.StringWidth(p); w++ {
			if got := ShortenPath(p, w); runewidth.StringWidth(got) > w || got == "" {
				t.Errorf("ShortenPath(%q, %d) = %q", p, w, got)
			}
		}
	}
}

func TestDirAndGroupByDir(t *testing.T) {
	for in, want := range map[string]string{
		"/var/log/syslog": "/var/log", "/x": "/", `C:\Windows\notepad.exe`: `C:\Windows`,
		`C:\pagefile.sys`: `C:\`, "file": ".",
	} {
		if got := Dir(in); got != want {
			t.Errorf("Dir(%q) = %q, want %q", in, got, want)
		}
	}
	a := FileKey{Path: "/db/log1"}
	a.Proc.PID = 10
	b := FileKey{Path: "/db/log2"}
	b.Proc.PID = 10
	c := FileKey{Path: "/db/log3"}
	c.Proc.PID = 20
	d := FileKey{Path: "/tmp/x"}
	d.Proc.PID = 20
	files := []FileActivity{
		{Key: a, Name: "mysqld", WriteBytes: 100},
		{Key: b, Name: "mysqld", WriteBytes: 50, ReadBytes: 5},
		{Key: c, Name: "backup", ReadBytes: 1000},
		{Key: d, Name: "backup", WriteBytes: 1},
	}
	all := GroupByDir(files, false)
	if len(all) != 2 || all[0].Key.Path != "/db" || all[0].Files != 3 || all[0].WriteBytes != 150 || all[0].ReadBytes != 1005 || all[0].Name != "backup" {
		t.Errorf("GroupByDir(all) = %+v", all)
	}
	per := GroupByDir(files, true)
	if len(per) != 3 || per[0].Key.Proc.PID != 20 || per[0].Key.Path != "/db" || per[1].Key.Proc.PID != 10 || per[1].Files != 2 {
		t.Errorf("GroupByDir(per process) = %+v", per)
	}
}
