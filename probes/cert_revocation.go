package probes

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// revocationEndpoint is one CRL distribution point or OCSP responder.
type revocationEndpoint struct {
	kind string // "CRL" or "OCSP"
	url  string
	of   string // CN of the certificate that names it
}

// revocationEndpoints lists the HTTP endpoints of the leaf and the
// non-root certificates of its chain. LDAP and file URLs are returned
// apart: they are only reachable inside the domain and are not fetched.
func revocationEndpoints(lc *LoadedCert) (http []revocationEndpoint, other []string) {
	certs := []*x509.Certificate{lc.Leaf}
	for _, c := range lc.Chain {
		if !isSelfSigned(c) {
			certs = append(certs, c)
		}
	}
	for _, c := range certs {
		add := func(kind string, urls []string) {
			for _, u := range urls {
				if strings.HasPrefix(strings.ToLower(u), "http://") || strings.HasPrefix(strings.ToLower(u), "https://") {
					http = append(http, revocationEndpoint{kind, u, c.Subject.CommonName})
				} else {
					other = append(other, kind+" "+u)
				}
			}
		}
		add("CRL", c.CRLDistributionPoints)
		add("OCSP", c.OCSPServer)
	}
	return http, other
}

func checkRevocation(ctx context.Context, t *Target, lc *LoadedCert) Result {
	eps, other := revocationEndpoints(lc)
	var ev []string
	for _, o := range other {
		ev = append(ev, "not fetched (directory or file URL): "+o)
	}
	if len(eps) == 0 {
		why := "names no HTTP CRL distribution point or OCSP responder"
		if isSelfSigned(lc.Leaf) {
			why = "is self-signed, so no revocation information exists for it"
		}
		return Result{
			Status:   StatusWarn,
			Summary:  "Revocation cannot be checked: the certificate " + why + ".",
			Evidence: ev,
			Codes:    []string{"0x80092012"},
			Reason: "Replica checks revocation by default; without a reachable CRL or OCSP endpoint the check fails " +
				"(CRYPT_E_NO_REVOCATION_CHECK), which is expected with lab self-signed certificates.",
			Fixes: fixesDisableRevocation(),
		}
	}
	var bad []string
	tried := 0
	var proxyFault *replyFrom
	for _, ep := range eps {
		if ctx.Err() != nil {
			break // the step's time is up: the rest were never tried
		}
		line, ok, from := fetchRevocation(ctx, t, ep)
		if !ok && ctx.Err() != nil {
			break // cut short by the step's end, not by the endpoint
		}
		tried++
		ev = append(ev, line)
		if !ok {
			bad = append(bad, ep.kind+" "+ep.url)
			if from.proxy && proxyFault == nil {
				proxyFault = &from
			}
		}
	}
	if untried := len(eps) - tried; untried > 0 {
		ev = append(ev, fmt.Sprintf("%d of %d endpoints not tried: the step's time ran out after %d", untried, len(eps), tried))
		if len(bad) == 0 {
			return Result{Status: StatusError, Evidence: ev,
				Summary: fmt.Sprintf("Revocation check cut short: %d of %d endpoint(s) answered before the step's time ran out; %d not tried.", tried, len(eps), untried)}
		}
	}
	if len(bad) == 0 {
		return Result{Status: StatusPass, Summary: fmt.Sprintf("All %d revocation endpoint(s) answer from this host.", len(eps)), Evidence: ev}
	}
	hosts := map[string]bool{}
	var hostList []string
	for _, ep := range eps[:tried] {
		if u, err := url.Parse(ep.url); err == nil && !hosts[u.Host] {
			hosts[u.Host] = true
			hostList = append(hostList, u.Host)
		}
	}
	fixes := []Fix{{
		Text: "Make the endpoint(s) reachable over HTTP from both servers (firewall, proxy rules, or publish the CRL where both can reach it): " +
			strings.Join(hostList, ", ") + ".",
	}}
	if proxyFault != nil {
		// The proxy answered for the endpoint: its fault comes first.
		fixes = append([]Fix{{Text: fmt.Sprintf("Proxy %s answered for the endpoint itself (%s): let the endpoint host(s) through it (for Squid, an acl dstdomain line and an http_access allow line for them, above the first http_access deny line), or fetch them directly.",
			t.Proxy.Host, proxyFault.sign), Where: OnProxy}}, fixes...)
	}
	fixes = append(fixes, fixesDisableRevocation()...)
	summary := "Revocation endpoint(s) unreachable from this host: " + strings.Join(bad, ", ") + "."
	if len(bad) > 3 {
		summary = fmt.Sprintf("%d of the %d revocation endpoints tried are unreachable from this host (%s, ...).", len(bad), tried, strings.Join(bad[:3], ", "))
	}
	return Result{
		Status:   StatusFail,
		Summary:  summary,
		Evidence: ev,
		Codes:    []string{"0x80092013"},
		Reason: "Replica checks whether the certificate is revoked; when the CRL distribution point or OCSP responder cannot be reached " +
			"the check fails offline (CRYPT_E_REVOCATION_OFFLINE) and authentication fails.",
		Fixes: fixes,
	}
}

// fetchRevocation GETs one endpoint, through t's proxy unless bypassed, and
// reports what happened. A CRL must answer 200 with a CRL; an OCSP
// responder must answer at all (a GET without a request gets 4xx from most).
func fetchRevocation(ctx context.Context, t *Target, ep revocationEndpoint) (string, bool, replyFrom) {
	u, err := url.Parse(ep.url)
	if err != nil || u.Host == "" {
		return fmt.Sprintf("%s %s: not a valid URL", ep.kind, ep.url), false, replyFrom{}
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            (&net.Dialer{Timeout: t.timeout()}).DialContext,
		TLSHandshakeTimeout:    t.timeout(),
		ResponseHeaderTimeout:  t.timeout(),
		MaxResponseHeaderBytes: maxHeadBytes,
		DisableKeepAlives:      true,
	}
	via := "direct"
	if p := revocationProxy(t, u); p != nil {
		tr.Proxy = http.ProxyURL(p)
		via = "via proxy " + p.Host
	}
	defer tr.CloseIdleConnections()
	rctx, cancel := context.WithTimeout(ctx, t.timeout())
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, ep.url, nil)
	if err != nil {
		return fmt.Sprintf("%s %s: %v", ep.kind, ep.url, err), false, replyFrom{}
	}
	req.Header.Set("User-Agent", "hvrdoctor-probe")
	start := t.now()
	resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	took := fmtDur(t.now().Sub(start))
	if err != nil {
		return fmt.Sprintf("%s %s (%s): %s", ep.kind, ep.url, via, describeConnErr(err, t.timeout())), false, replyFrom{}
	}
	defer resp.Body.Close()
	line := fmt.Sprintf("%s %s (%s): %s in %s", ep.kind, ep.url, via, resp.Status, took)
	if via != "direct" && u.Scheme == "http" {
		// Who answered: through the proxy, an error page of the proxy is
		// not the endpoint's answer.
		if from := whoAnswered(resp, readEvidenceBody(resp), false); from.proxy {
			return line + ", answered by the proxy itself (" + from.sign + "), not the endpoint", false, from
		}
	}
	if ep.kind == "OCSP" {
		return line, true, replyFrom{}
	}
	if resp.StatusCode != http.StatusOK {
		return line + ", no CRL", false, replyFrom{}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCRLBody+1))
	if err != nil {
		return line + ", body cut off: " + describeConnErr(err, t.timeout()), false, replyFrom{}
	}
	if len(body) > maxCRLBody {
		return line + fmt.Sprintf(", body larger than %d MiB: not read as a CRL", maxCRLBody>>20), false, replyFrom{}
	}
	crl, err := x509.ParseRevocationList(body)
	if err != nil {
		return line + ", but the body is not a CRL (" + strconv.Itoa(len(body)) + " bytes)", false, replyFrom{}
	}
	if !crl.NextUpdate.IsZero() && t.now().After(crl.NextUpdate) {
		return line + ", CRL expired on " + crl.NextUpdate.UTC().Format("2006-01-02"), false, replyFrom{}
	}
	return line + fmt.Sprintf(", CRL with %d revoked entries", len(crl.RevokedCertificateEntries)), true, replyFrom{}
}

// revocationProxy is the proxy to fetch u through: t's proxy unless the
// replica bypasses it (--bypass-proxy) or u's host is in the bypass list.
func revocationProxy(t *Target, u *url.URL) *url.URL {
	if t.Proxy == nil || t.BypassProxy {
		return nil
	}
	port := 80
	if p, err := strconv.Atoi(u.Port()); err == nil {
		port = p
	} else if strings.EqualFold(u.Scheme, "https") {
		port = 443
	}
	if _, ok := t.matchBypass(u.Hostname(), port); ok {
		return nil
	}
	return t.Proxy
}
