package exporter

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

// selfSigned writes a certificate and key for 127.0.0.1 into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hvrdoctor test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600)
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return certFile, keyFile, pool
}

// TestWebConfigTLSAndBasicAuth: with an exporter-toolkit web config,
// serve speaks only TLS and answers 401 without the password.
func TestWebConfigTLSAndBasicAuth(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	hash, _ := bcrypt.GenerateFromPassword([]byte("scrape-secret"), bcrypt.MinCost)
	web := filepath.Join(dir, "web.yml")
	os.WriteFile(web, []byte("tls_server_config:\n  cert_file: "+certFile+"\n  key_file: "+keyFile+"\nbasic_auth_users:\n  prom: "+string(hash)+"\n"), 0o600)
	addr := startServe(t, "--files", "off", "--web.config.file", web)

	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	get := func(url, user, pass string) int {
		req, _ := http.NewRequest("GET", url, nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := client.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get("https://"+addr+"/metrics", "", ""); code != 401 {
		t.Errorf("no password: status %d, want 401", code)
	}
	if code := get("https://"+addr+"/metrics", "prom", "wrong"); code != 401 {
		t.Errorf("wrong password: status %d, want 401", code)
	}
	if code := get("https://"+addr+"/metrics", "prom", "scrape-secret"); code != 200 {
		t.Errorf("right password: status %d, want 200", code)
	}
	if code := get("http://"+addr+"/metrics", "prom", "scrape-secret"); code == 200 {
		t.Errorf("plain HTTP answered 200 with TLS configured")
	}
}

// TestServeRefusesBadWebConfig: a web config that does not parse stops
// serve at start with one line naming the file.
func TestServeRefusesBadWebConfig(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "web.yml")
	os.WriteFile(bad, []byte("basic_auth_users: [not, a, map]\n"), 0o600)
	out, err := exec.Command(testutil.Binary(t), "serve", "--listen", "127.0.0.1:0", "--files", "off", "--web.config.file", bad).CombinedOutput()
	if err == nil {
		t.Fatalf("serve started with a broken web config:\n%s", out)
	}
	s := strings.TrimSpace(string(out))
	if strings.Contains(s, "\n") || !strings.Contains(s, "--web.config.file "+bad) || strings.Contains(s, "listening") {
		t.Errorf("want one line naming the file, before listening: %q", s)
	}
	if code := exitCode(err); code != 2 {
		t.Errorf("exit status %d, want 2 (bad input)", code)
	}
}

// TestServeListensOnLoopbackByDefault: without --listen, serve binds
// 127.0.0.1:9183 and nothing else.
func TestServeListensOnLoopbackByDefault(t *testing.T) {
	if DefaultListen != "127.0.0.1:9183" {
		t.Fatalf("DefaultListen = %s", DefaultListen)
	}
	l, err := net.Listen("tcp", DefaultListen)
	if err != nil {
		t.Skipf("port 9183 is taken here: %v", err)
	}
	l.Close()
	cmd := exec.Command(testutil.Binary(t), "serve", "--files", "off")
	var out strings.Builder
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	for i := 0; i < 100 && !strings.Contains(out.String(), "listening"); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "listening on 127.0.0.1:9183 ") {
		t.Errorf("start line %q, want it to listen on 127.0.0.1:9183", out.String())
	}
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}
