package cli

import (
	"context"

	"golang.org/x/sys/windows/svc"
)

// serviceName is the name README's New-Service line registers.
const serviceName = "hvrdoctor"

// serveAsService runs serve under the Windows service manager when it
// started the process (New-Service / sc.exe create, see README): it
// reports Running, and Stop or Shutdown end the exporter cleanly. From a
// console it returns false and serve runs as usual.
func serveAsService(env *Env, o serveOptions) (error, bool) {
	isSvc, err := svc.IsWindowsService()
	if err != nil || !isSvc {
		return nil, false
	}
	h := &serveService{o: o, env: env}
	if err := svc.Run(serviceName, h); err != nil {
		return err, true
	}
	return h.err, true
}

// serveService is serve as a Windows service handler.
type serveService struct {
	o   serveOptions
	env *Env
	err error // serveUntil's
}

// Execute implements svc.Handler.
func (s *serveService) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, s.env, s.o) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-done:
			cancel()
			s.err = err
			return false, uint32(exitCodeOf(err))
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending}
				cancel()
				s.err = <-done
				return false, uint32(exitCodeOf(s.err))
			}
		}
	}
}
