package probes

import (
	"errors"
	"fmt"
	"strings"
)

// SetspnListing is what `setspn -L <account>` printed: the account's DN
// and its SPNs.
type SetspnListing struct {
	Account string
	SPNs    []string
}

// Has reports whether the listing holds spn (compared case-insensitively,
// as Active Directory does).
func (l SetspnListing) Has(spn string) bool {
	for _, s := range l.SPNs {
		if strings.EqualFold(strings.TrimSpace(s), spn) {
			return true
		}
	}
	return false
}

// ParseSetspnList parses the output of `setspn -L <account>`:
//
//	Registered ServicePrincipalNames for CN=REPLICA01,OU=Servers,DC=contoso,DC=com:
//	        Hyper-V Replica Service/REPLICA01
//	        Hyper-V Replica Service/replica01.contoso.com
//
// An account without SPNs prints the header only. When setspn cannot find
// the account it prints its error instead ("Unable to locate account ..."),
// returned as an error.
func ParseSetspnList(out string) (SetspnListing, error) {
	var l SetspnListing
	out = strings.ReplaceAll(out, "\r\n", "\n")
	const header = "Registered ServicePrincipalNames for "
	inList := false
	var errLines []string
	for _, raw := range strings.Split(out, "\n") {
		line := strings.TrimRight(raw, " \t\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		if i := strings.Index(line, header); i >= 0 {
			l.Account = strings.TrimSuffix(strings.TrimSpace(line[i+len(header):]), ":")
			inList = true
			continue
		}
		if inList && (strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ")) {
			l.SPNs = append(l.SPNs, trimmed)
			continue
		}
		errLines = append(errLines, trimmed)
	}
	if l.Account == "" {
		if len(errLines) > 0 {
			return l, fmt.Errorf("%s", strings.Join(errLines, " "))
		}
		return l, errors.New("no output")
	}
	return l, nil
}
