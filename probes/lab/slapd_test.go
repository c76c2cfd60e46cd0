package lab

import (
	"context"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestSlapdHoldsSPNsOnComputerAccounts(t *testing.T) {
	testutil.SkipUnless(t, SlapdAvailable())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := StartSlapd(ctx, SlapdOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	spn := "Hyper-V Replica Service/replica.lab.test"
	dn, err := s.AddComputer(ctx, "REPLICA", "replica.lab.test", spn, "Hyper-V Replica Service/REPLICA")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ldap.DialURL(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Anonymous read, as the probe does without credentials.
	res, err := conn.Search(ldap.NewSearchRequest(s.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 5, false,
		"(servicePrincipalName="+ldap.EscapeFilter(spn)+")", []string{"sAMAccountName"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].DN != dn || res.Entries[0].GetAttributeValue("sAMAccountName") != "REPLICA$" {
		t.Fatalf("search for %q: got %d entries %+v, want %s", spn, len(res.Entries), res.Entries, dn)
	}
}
