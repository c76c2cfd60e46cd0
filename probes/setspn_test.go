package probes_test

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/probes"
)

// The setspn outputs below are typed from the documented format of
// `setspn -L` (Microsoft's setspn reference and the Replica team blog's
// description), not captured from a server: Windows cannot run here.
const setspnWithReplica = "Registered ServicePrincipalNames for CN=REPLICA01,OU=Hyper-V,DC=contoso,DC=com:\r\n" +
	"        Hyper-V Replica Service/REPLICA01\r\n" +
	"        Hyper-V Replica Service/replica01.contoso.com\r\n" +
	"        Microsoft Virtual System Migration Service/REPLICA01\r\n" +
	"        Microsoft Virtual System Migration Service/replica01.contoso.com\r\n" +
	"        Microsoft Virtual Console Service/REPLICA01\r\n" +
	"        Microsoft Virtual Console Service/replica01.contoso.com\r\n" +
	"        WSMAN/replica01\r\n" +
	"        WSMAN/replica01.contoso.com\r\n" +
	"        TERMSRV/REPLICA01\r\n" +
	"        TERMSRV/replica01.contoso.com\r\n" +
	"        RestrictedKrbHost/REPLICA01\r\n" +
	"        HOST/REPLICA01\r\n" +
	"        RestrictedKrbHost/replica01.contoso.com\r\n" +
	"        HOST/replica01.contoso.com\r\n"

const setspnWithoutReplica = "Registered ServicePrincipalNames for CN=REPLICA01,OU=Hyper-V,DC=contoso,DC=com:\r\n" +
	"\tMicrosoft Virtual Console Service/REPLICA01\r\n" +
	"\tMicrosoft Virtual Console Service/replica01.contoso.com\r\n" +
	"\tHOST/REPLICA01\r\n" +
	"\tHOST/replica01.contoso.com\r\n"

const setspnNoAccount = "FindDomainForAccount: Call to DsGetDcNameWithAccountW failed with return value 0x00000525\r\n" +
	"Unable to locate account NOSUCHHOST\r\n"

func TestParseSetspnList(t *testing.T) {
	l, err := probes.ParseSetspnList(setspnWithReplica)
	if err != nil {
		t.Fatal(err)
	}
	if l.Account != "CN=REPLICA01,OU=Hyper-V,DC=contoso,DC=com" || len(l.SPNs) != 14 {
		t.Fatalf("account %q, %d SPNs", l.Account, len(l.SPNs))
	}
	if !l.Has("Hyper-V Replica Service/replica01.contoso.com") || !l.Has("hyper-v replica service/REPLICA01") {
		t.Error("Replica SPNs not found (the comparison must ignore case, as AD does)")
	}

	l, err = probes.ParseSetspnList(setspnWithoutReplica)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.SPNs) != 4 || l.Has("Hyper-V Replica Service/REPLICA01") {
		t.Errorf("without Replica SPNs: %v", l.SPNs)
	}

	l, err = probes.ParseSetspnList("Registered ServicePrincipalNames for CN=EMPTY,DC=contoso,DC=com:\r\n")
	if err != nil || len(l.SPNs) != 0 || l.Account != "CN=EMPTY,DC=contoso,DC=com" {
		t.Errorf("account without SPNs: %+v %v", l, err)
	}

	if _, err := probes.ParseSetspnList(setspnNoAccount); err == nil || err.Error() == "" {
		t.Error("an unknown account must be an error carrying setspn's message")
	}
	if _, err := probes.ParseSetspnList(""); err == nil {
		t.Error("empty output must be an error")
	}
}
