package exporter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v2"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// maxModulesFile bounds the modules file read.
const maxModulesFile = 1 << 20

// maxPasswordFile bounds a password file a module names.
const maxPasswordFile = 64 << 10

// Module is one /probe module: how to reach a replica server and which of
// the wizard's steps to run, as the check command's flags would say it.
// The target (HOST:PORT) comes from each request.
type Module struct {
	// Auth is "kerberos" (default) or "certificate".
	Auth string `yaml:"auth"`
	// Proxy is the forward proxy URL; "" goes direct unless DetectProxy.
	Proxy string `yaml:"proxy"`
	// DetectProxy reads the proxy as the wizard does (HTTPS_PROXY and
	// the like, then the WinHTTP proxy on Windows) when Proxy is "".
	DetectProxy bool `yaml:"detect_proxy"`
	// BypassProxy mirrors Enable-VMReplication -BypassProxyServer $true.
	BypassProxy bool `yaml:"bypass_proxy"`
	// Timeout bounds each network operation (5s); the whole probe is
	// bounded by the scrape timeout.
	Timeout time.Duration `yaml:"timeout"`
	// Steps lists the step IDs to run (dns, tcp, listener, proxy-path,
	// proxy-large-upload, https-inspection and the authentication
	// steps); empty runs the whole plan for the auth type.
	Steps []string `yaml:"steps"`

	// Certificate authentication.
	CABundle         string `yaml:"ca_bundle"`
	Cert             string `yaml:"cert"`
	CertPasswordFile string `yaml:"cert_password_file"`
	CertName         string `yaml:"cert_name"`

	// Kerberos and directory.
	KDC          string `yaml:"kdc"`
	Realm        string `yaml:"realm"`
	Principal    string `yaml:"principal"`
	Keytab       string `yaml:"keytab"`
	CCache       string `yaml:"ccache"`
	PasswordFile string `yaml:"password_file"`
	LDAPURL      string `yaml:"ldap_url"`
	LDAPUser     string `yaml:"ldap_user"`

	certPassword, password string
}

// modulesFile is the YAML file's shape.
type modulesFile struct {
	Modules map[string]*Module `yaml:"modules"`
}

// LoadModules reads the /probe modules file. Every module is checked as
// the check command checks its flags (with a placeholder target), so a
// mistake is reported at start, naming the module.
func LoadModules(path string) (map[string]*Module, error) {
	if _, err := os.Stat(path); err != nil {
		// Nothing there to block on: open says why in its own words.
		f, oerr := os.Open(path)
		if oerr == nil {
			f.Close()
			oerr = err
		}
		return nil, fmt.Errorf("%v; give the path of a YAML file with a modules: map", oerr)
	}
	// A FIFO (opening it would wait forever), a device, a directory or a
	// huge file is refused before reading, as every file input is.
	data, err := probes.ReadInputFile("--probe.config.file", path, maxModulesFile)
	if err != nil {
		return nil, err
	}
	return ParseModules(data)
}

// ParseModules parses a modules file's contents (see LoadModules).
func ParseModules(data []byte) (map[string]*Module, error) {
	var mf modulesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.SetStrict(true)
	if err := dec.Decode(&mf); err != nil && err != io.EOF {
		return nil, fmt.Errorf("not a modules file: %s", firstLine(err.Error()))
	}
	if len(mf.Modules) == 0 {
		return nil, fmt.Errorf("no modules: the file needs a modules: map of name to settings")
	}
	names := make([]string, 0, len(mf.Modules))
	for n := range mf.Modules {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m := mf.Modules[n]
		if m == nil {
			return nil, fmt.Errorf("module %q is empty; give at least auth: kerberos or auth: certificate", n)
		}
		if err := m.load(); err != nil {
			return nil, fmt.Errorf("module %q: %v", n, err)
		}
		if _, err := m.target(context.Background(), "replica.invalid", 443); err != nil {
			return nil, fmt.Errorf("module %q: %s", n, yamlKeys.Replace(err.Error()))
		}
		tg, _ := m.target(context.Background(), "replica.invalid", 443)
		plan := probes.Plan(tg)
		for _, id := range m.Steps {
			if _, ok := probes.StepByID(plan, id); !ok {
				ids := make([]string, len(plan))
				for i, s := range plan {
					ids[i] = s.Probe.ID()
				}
				return nil, fmt.Errorf("module %q: step %q is not in the %s plan; use some of %s", n, id, tg.Auth, strings.Join(ids, ", "))
			}
		}
	}
	return mf.Modules, nil
}

// load reads the password files (secrets stay out of the YAML).
func (m *Module) load() error {
	read := func(key, path string) (string, error) {
		if path == "" {
			return "", nil
		}
		b, err := probes.ReadInputFile(key, path, maxPasswordFile)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	var err error
	if m.certPassword, err = read("cert_password_file", m.CertPasswordFile); err != nil {
		return err
	}
	m.password, err = read("password_file", m.PasswordFile)
	return err
}

// target builds the wizard's Target for host and port with the module's
// settings, validated as the check command validates its flags.
func (m *Module) target(ctx context.Context, host string, port int) (*probes.Target, error) {
	in := probes.TargetInput{
		Replica: host, Port: port, Auth: m.Auth, ProxyURL: m.Proxy, BypassProxy: m.BypassProxy, Timeout: m.Timeout,
		CABundle: m.CABundle, CertSource: m.Cert, CertPassword: m.certPassword, CertName: m.CertName,
		KDC: m.KDC, Realm: m.Realm, Principal: m.Principal, Keytab: m.Keytab, CCache: m.CCache,
		Password: m.password, LDAPURL: m.LDAPURL, LDAPUser: m.LDAPUser,
	}
	if !m.DetectProxy {
		in.Env = func(string) string { return "" }
		in.WinHTTP = func(context.Context) (probes.WinHTTPProxy, error) { return probes.WinHTTPProxy{}, nil }
	}
	return probes.ParseTarget(in)
}

// plan is the module's steps for t.
func (m *Module) plan(t *probes.Target) []probes.Step {
	all := probes.Plan(t)
	if len(m.Steps) == 0 {
		return all
	}
	keep := map[string]bool{}
	for _, id := range m.Steps {
		keep[id] = true
	}
	out := all[:0:0]
	for _, s := range all {
		if keep[s.Probe.ID()] {
			out = append(out, s)
		}
	}
	return out
}

// yamlKeys names the module keys in errors the target parser words with
// the check command's flags.
var yamlKeys = strings.NewReplacer("--replica", "target", "--auth", "auth:", "--timeout", "timeout:", "--proxy", "proxy:",
	"--cert-name", "cert_name:", "--cert", "cert:", "--ca", "ca_bundle:", "--kdc", "kdc:", "--realm", "realm:",
	"--principal", "principal:", "--keytab", "keytab:", "--ccache", "ccache:", "--ldap-user", "ldap_user:", "--ldap", "ldap_url:")

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
