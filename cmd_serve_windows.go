package main

import (
	"context"
	"io"

	"golang.org/x/sys/windows/svc"
)

// serviceName is the name README's New-Service line registers.
const serviceName = "hvrdoctor"

// serveAsService runs serve under the Windows service manager when it
// started the process (New-Service / sc.exe create, see README): it
// reports Running, and Stop or Shutdown end the exporter cleanly. From a
// console it returns false and serve runs as usual.
func serveAsService(o serveOptions, stderr io.Writer) (int, bool) {
	isSvc, err := svc.IsWindowsService()
	if err != nil || !isSvc {
		return 0, false
	}
	h := &serveService{o: o, stderr: stderr}
	if err := svc.Run(serviceName, h); err != nil {
		return exitFail, true
	}
	return h.code, true
}

// serveService is serve as a Windows service handler.
type serveService struct {
	o      serveOptions
	stderr io.Writer
	code   int
}

// Execute implements svc.Handler.
func (s *serveService) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- serveUntil(ctx, s.o, s.stderr) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case code := <-done:
			cancel()
			s.code = code
			return false, uint32(code)
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
				s.code = <-done
				return false, uint32(s.code)
			}
		}
	}
}
