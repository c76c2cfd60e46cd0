package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hvrdoctor/hvrdoctor/probes/lab"
	"github.com/hvrdoctor/hvrdoctor/sampler"
)

// labEnv is what the scenarios run against: loopback servers and input
// files, shared by both builds.
type labEnv struct {
	dir string
	// listener answers HTTP like a Kerberos replica listener (401).
	listener *lab.Origin
	// limited has request_body_max_size 4 GB; open has no limit.
	limited, open *lab.Squid
	// mtls requires a client certificate issued by the matrix's root.
	matrix *lab.CertMatrix
	mtls   *lab.MutualTLSServer
	// pfx (password pfxPassword) holds the good client certificate;
	// rootPEM the root the listener trusts.
	pfx, rootPEM string
	// recordingDir holds HVRStats-1.csv and ProcStats-1.csv; genericCSV a
	// generic export (time, process, PID, writes).
	recordingDir, genericCSV string
	// closedPort has nothing listening.
	closedPort string

	stops []func()
}

const pfxPassword = "Wine-Pfx-1"

func (e *labEnv) stop() {
	for i := len(e.stops) - 1; i >= 0; i-- {
		e.stops[i]()
	}
}

// startLab starts the servers and writes the inputs into dir. On error
// the returned env holds what was started, for stop.
func startLab(ctx context.Context, dir string) (*labEnv, error) {
	e := &labEnv{dir: dir}
	var err error
	if e.listener, err = lab.StartHTTPOrigin(lab.OriginOptions{}); err != nil {
		return e, err
	}
	e.stops = append(e.stops, func() { e.listener.Stop() })
	if e.limited, err = lab.StartSquid(ctx, lab.SquidOptions{RequestBodyMaxSize: "4 GB"}); err != nil {
		return e, err
	}
	e.stops = append(e.stops, func() { e.limited.Stop() })
	if e.open, err = lab.StartSquid(ctx, lab.SquidOptions{}); err != nil {
		return e, err
	}
	e.stops = append(e.stops, func() { e.open.Stop() })
	if e.matrix, err = lab.BuildCertMatrix(lab.MatrixOptions{Host: "replica.lab.test"}); err != nil {
		return e, err
	}
	e.stops = append(e.stops, e.matrix.Close)
	good, _ := e.matrix.Case(lab.CaseGood)
	roots := x509.NewCertPool()
	roots.AddCert(e.matrix.Root.Cert)
	if e.mtls, err = lab.StartMutualTLS(good.Leaf, roots); err != nil {
		return e, err
	}
	e.stops = append(e.stops, func() { e.mtls.Close() })
	pfx, err := good.Leaf.PFX(pfxPassword)
	if err != nil {
		return e, err
	}
	e.pfx = filepath.Join(dir, "replica client.pfx") // a space, as in real paths
	e.rootPEM = filepath.Join(dir, "root.pem")
	if err := lab.WriteFile(e.pfx, pfx); err != nil {
		return e, err
	}
	if err := lab.WriteFile(e.rootPEM, e.matrix.Root.CertPEM()); err != nil {
		return e, err
	}
	if e.closedPort, err = lab.ClosedPort(); err != nil {
		return e, err
	}
	e.recordingDir = filepath.Join(dir, "recording")
	if err := writeRecording(e.recordingDir); err != nil {
		return e, err
	}
	e.genericCSV = filepath.Join(dir, "writes.csv")
	if err := os.WriteFile(e.genericCSV, genericCSV(), 0o644); err != nil {
		return e, err
	}
	return e, nil
}

// recordingStart is the generated recording's first sample (a fixed time:
// both builds must read the same figures).
var recordingStart = time.Date(2026, 11, 24, 13, 0, 0, 0, time.UTC)

// writeRecording writes a 40-minute hvrdoctor recording, one sample every
// 10 s: SQL Server writing 2 MiB/s throughout, the servicing stack
// (TiWorker.exe) writing 200 MiB/s for minutes 25 to 27, Defender a
// little.
func writeRecording(dir string) error {
	rec, err := sampler.NewRecorder(dir, []string{"C:"})
	if err != nil {
		return err
	}
	const mib = 1 << 20
	for i := 0; i < 240; i++ {
		at := recordingStart.Add(time.Duration(i) * 10 * time.Second)
		procs := []sampler.ProcessRates{
			{Key: sampler.ProcKey{PID: 1800, Start: 1}, Name: "sqlservr.exe", Class: sampler.Classification{Class: sampler.ClassWorkload}, WriteRate: 2 * mib},
			{Key: sampler.ProcKey{PID: 3100, Start: 1}, Name: "MsMpEng.exe", Class: sampler.Classification{Class: sampler.ClassInbox}, WriteRate: 64 << 10},
		}
		if m := i / 6; m >= 25 && m < 28 {
			procs = append(procs, sampler.ProcessRates{Key: sampler.ProcKey{PID: 5200, Start: 2}, Name: "TiWorker.exe",
				Class: sampler.Classification{Class: sampler.ClassInbox}, WriteRate: 200 * mib})
		}
		var total float64
		for _, p := range procs {
			total += p.WriteRate
		}
		f := sampler.Frame{Time: at, Elapsed: 10 * time.Second, Processes: procs, DiskWriteRate: total,
			Disks: []sampler.DiskRates{{Name: "C:", WriteRate: total}}}
		if err := rec.Write(f); err != nil {
			rec.Close()
			return err
		}
	}
	return rec.Close()
}

// genericCSV is the same activity as a generic export with bytes per
// second, comma-separated, as a script would write it.
func genericCSV() []byte {
	b := []byte("Time,ProcessName,Id,Write Bytes/sec\n")
	for i := 0; i < 240; i++ {
		at := recordingStart.Add(time.Duration(i) * 10 * time.Second).Format("2006-01-02 15:04:05")
		b = fmt.Appendf(b, "%s,sqlservr,1800,2097152\n", at)
		if m := i / 6; m >= 25 && m < 28 {
			b = fmt.Appendf(b, "%s,TiWorker,5200,209715200\n", at)
		}
	}
	return b
}
