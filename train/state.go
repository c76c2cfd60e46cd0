package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Targets are what the learner points hvrdoctor at: the flags of
// `hvrdoctor check` and `hvrdoctor ui` for this lab.
type Targets struct {
	Replica   string `json:"replica,omitempty"`
	Port      int    `json:"port,omitempty"`
	Auth      string `json:"auth,omitempty"`
	Proxy     string `json:"proxy,omitempty"`
	KDC       string `json:"kdc,omitempty"`
	Realm     string `json:"realm,omitempty"`
	Principal string `json:"principal,omitempty"`
	Keytab    string `json:"keytab,omitempty"`
	Cert      string `json:"cert,omitempty"`
	CA        string `json:"ca,omitempty"`
	CertName  string `json:"cert_name,omitempty"`
	LDAP      string `json:"ldap,omitempty"`
}

// Args are the targets as hvrdoctor flags.
func (t Targets) Args() []string {
	var a []string
	add := func(flag, v string) {
		if v != "" {
			a = append(a, "--"+flag, v)
		}
	}
	add("replica", t.Replica)
	if t.Port != 0 {
		a = append(a, "--port", fmt.Sprint(t.Port))
	}
	add("auth", t.Auth)
	add("proxy", t.Proxy)
	if t.Proxy == "" {
		a = append(a, "--bypass-proxy") // the lab is on loopback: no proxy unless it names one
	}
	add("kdc", t.KDC)
	add("realm", t.Realm)
	add("keytab", t.Keytab)
	add("principal", t.Principal)
	add("cert", t.Cert)
	add("ca", t.CA)
	add("cert-name", t.CertName)
	add("ldap", t.LDAP)
	return a
}

// State is a running lab as its supervisor recorded it: enough for stop to
// end every process and remove every file even when the supervisor is gone.
type State struct {
	ID string `json:"id"`
	// Simulated is true when no lab runs (the simulated mode).
	Simulated bool `json:"simulated,omitempty"`
	// SupervisorPID is the background process that owns the lab.
	SupervisorPID int `json:"supervisor_pid,omitempty"`
	// PIDs are the lab's component processes (squid, krb5kdc, mitmdump).
	PIDs []Proc `json:"pids,omitempty"`
	// Dirs are the directories the lab created; stop removes them.
	Dirs []string `json:"dirs,omitempty"`
	// Dir is the lab's own directory (files the learner edits).
	Dir     string            `json:"dir,omitempty"`
	Targets Targets           `json:"targets"`
	Vars    map[string]string `json:"vars,omitempty"`
	// Ready is set once the lab runs in its broken state; Error when it
	// could not start.
	Ready   bool      `json:"ready,omitempty"`
	Error   string    `json:"error,omitempty"`
	Started time.Time `json:"started"`
	// Resets counts completed resets (reset waits for it to grow).
	Resets int `json:"resets,omitempty"`
}

// ErrNotRunning says no lab of that scenario runs.
var ErrNotRunning = errors.New("not running")

func readState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotRunning
	}
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &st, nil
}

// writeJSON writes v to path atomically (temp file and rename), readable
// by the owner only.
func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// TargetRows are the targets as name/value rows, in the order the
// wizard's form has them (empty ones left out).
func TargetRows(t Targets) [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add("replica", t.Replica)
	if t.Port != 0 {
		add("port", fmt.Sprint(t.Port))
	}
	add("auth", t.Auth)
	add("proxy", t.Proxy)
	add("kdc", t.KDC)
	add("realm", t.Realm)
	add("principal", t.Principal)
	add("keytab", t.Keytab)
	add("cert", t.Cert)
	add("ca", t.CA)
	add("cert-name", t.CertName)
	add("ldap", t.LDAP)
	return out
}
