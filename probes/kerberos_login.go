package probes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
)

// kerberosClient logs in with the user's credentials: a keytab (with
// --principal, or its first entry), a password (with --principal), or a
// credential cache (--ccache, KRB5CCNAME, /tmp/krb5cc_UID). It returns the
// client and a description of the credentials for the evidence.
func kerberosClient(ctx context.Context, t *Target, ks *kerberosSetup) (*client.Client, string, error) {
	user, realm := splitPrincipal(t.Principal, ks.realm)
	switch {
	case t.Keytab != "":
		kt, err := withContext(ctx, func() (*keytab.Keytab, error) { return loadKeytab(t.Keytab) })
		if err != nil {
			return nil, "", err
		}
		if user == "" {
			if len(kt.Entries) == 0 {
				return nil, "", inputErrPath("--keytab", t.Keytab, "holds no keys")
			}
			p := kt.Entries[0].Principal
			user, realm = strings.Join(p.Components, "/"), p.Realm
		}
		cl := client.NewWithKeytab(user, realm, kt, ks.cfg, client.DisablePAFXFAST(true))
		return cl, fmt.Sprintf("%s@%s from keytab %s", user, realm, ShowValue(t.Keytab)), login(ctx, cl, user, realm)
	case t.Password != "":
		if user == "" {
			return nil, "", errors.New("a password was given without --principal: name the account (user or user@REALM)")
		}
		cl := client.NewWithPassword(user, realm, t.Password, ks.cfg, client.DisablePAFXFAST(true))
		return cl, fmt.Sprintf("%s@%s with a password", user, realm), login(ctx, cl, user, realm)
	}
	path := t.CCache
	from := "--ccache"
	if path == "" {
		path, from = defaultCCache()
	}
	p, err := ccachePath(path)
	if err != nil {
		return nil, "", inputErr(from, path, "%s", err)
	}
	path = p
	if _, err := os.Lstat(path); err != nil {
		return nil, "", fmt.Errorf("no Kerberos credentials: credential cache %s (%s) not found; run kinit, or give --keytab with --principal, or --principal with --password-stdin", ShowValue(path), from)
	}
	cc, err := withContext(ctx, func() (*credentials.CCache, error) {
		data, err := ReadInputFile(from, path, MaxCCacheSize)
		if err != nil {
			return nil, err
		}
		cc, err := decodeCCache(data)
		if err != nil {
			return nil, inputErrPath(from, path, "not a Kerberos credential cache (%s)", err)
		}
		return cc, nil
	})
	if err != nil {
		return nil, "", err
	}
	cl, err := client.NewFromCCache(cc, ks.cfg, client.DisablePAFXFAST(true))
	if err != nil {
		return nil, "", fmt.Errorf("credential cache %s: %s (run kinit again)", ShowValue(path), oneLine(err.Error()))
	}
	dp := cc.DefaultPrincipal
	return cl, fmt.Sprintf("%s@%s from credential cache %s", strings.Join(dp.PrincipalName.NameString, "/"), dp.Realm, ShowValue(path)), nil
}

// loadKeytab reads and decodes a keytab (bounded, regular files only).
func loadKeytab(path string) (*keytab.Keytab, error) {
	data, err := ReadInputFile("--keytab", path, MaxKeytabSize)
	if err != nil {
		return nil, err
	}
	kt := keytab.New()
	if err := decodeKeytabInto(kt, data); err != nil {
		return nil, inputErrPath("--keytab", path, "not a keytab file (%s)", oneLine(err.Error()))
	}
	return kt, nil
}

// login runs the AS exchange; gokrb5 has no context, so it runs aside and
// ctx bounds the wait (gokrb5's own network timeouts end it later).
func login(ctx context.Context, cl *client.Client, user, realm string) error {
	_, err := withContext(ctx, func() (struct{}, error) { return struct{}{}, cl.Login() })
	if err != nil {
		return fmt.Errorf("login as %s@%s failed: %s", user, realm, describeKrbErr(err))
	}
	return nil
}

// withContext runs f aside and returns its result, or ctx's error first.
func withContext[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type res struct {
		v   T
		err error
	}
	ch := make(chan res, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				var zero T
				ch <- res{zero, fmt.Errorf("internal error in the Kerberos library: %v", r)}
			}
		}()
		v, err := f()
		ch <- res{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// splitPrincipal splits user@REALM; the realm defaults to def.
func splitPrincipal(p, def string) (string, string) {
	if i := strings.LastIndex(p, "@"); i >= 0 {
		return p[:i], strings.ToUpper(p[i+1:])
	}
	return p, def
}

// describeKrbErr turns gokrb5's layered error text into one readable line.
func describeKrbErr(err error) string {
	s := err.Error()
	for _, known := range []struct{ code, text string }{
		{"KDC_ERR_S_PRINCIPAL_UNKNOWN", "the KDC does not know the service principal (KDC_ERR_S_PRINCIPAL_UNKNOWN)"},
		{"KDC_ERR_C_PRINCIPAL_UNKNOWN", "the KDC does not know this account (KDC_ERR_C_PRINCIPAL_UNKNOWN)"},
		{"KDC_ERR_PREAUTH_FAILED", "wrong password or key (KDC_ERR_PREAUTH_FAILED)"},
		{"KRB_AP_ERR_SKEW", "the clocks differ by more than the allowed skew (KRB_AP_ERR_SKEW)"},
		{"KDC_ERR_ETYPE_NOSUPP", "no common encryption type (KDC_ERR_ETYPE_NOSUPP)"},
		{"KDC_ERR_KEY_EXPIRED", "the password has expired (KDC_ERR_KEY_EXPIRED)"},
		{"KDC_ERR_CLIENT_REVOKED", "the account is disabled or locked (KDC_ERR_CLIENT_REVOKED)"},
		{"Networking_Error", "cannot reach the KDC"},
	} {
		if strings.Contains(s, known.code) {
			return known.text
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer before the timeout"
	}
	return oneLine(s)
}
