//go:build windows

package probes

import (
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

// loadFromStore finds the certificate with the SHA-1 thumbprint thumb in
// the LocalMachine\My ("Personal") store with CryptoAPI and checks, without
// any prompt, that its private key is present. The key stays in the store:
// LoadedCert.Key is nil, so the mutual-TLS step asks for a PFX export.
func loadFromStore(thumb string) (*LoadedCert, error) {
	hash, err := hex.DecodeString(thumb)
	if err != nil || len(hash) != 20 {
		return nil, fmt.Errorf("certificate %s: not a 40-digit thumbprint", thumb)
	}
	name, err := windows.UTF16PtrFromString("MY")
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", thumb, err)
	}
	store, err := windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM, 0, 0,
		windows.CERT_SYSTEM_STORE_LOCAL_MACHINE|windows.CERT_STORE_READONLY_FLAG|windows.CERT_STORE_OPEN_EXISTING_FLAG,
		uintptr(unsafe.Pointer(name)))
	if err != nil {
		return nil, fmt.Errorf("certificate %s: open LocalMachine\\My: %w (run as Administrator)", thumb, err)
	}
	defer windows.CertCloseStore(store, 0)
	blob := windows.CryptHashBlob{Size: uint32(len(hash)), Data: &hash[0]}
	ctx, err := windows.CertFindCertificateInStore(store,
		windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, 0, windows.CERT_FIND_HASH,
		unsafe.Pointer(&blob), nil)
	if err != nil || ctx == nil {
		return nil, fmt.Errorf("certificate %s: not found in LocalMachine\\My; list it with: certutil -store my", thumb)
	}
	defer windows.CertFreeCertificateContext(ctx)
	der := make([]byte, ctx.Length)
	copy(der, unsafe.Slice(ctx.EncodedCert, ctx.Length))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certificate %s: stored certificate does not parse: %w", thumb, err)
	}
	lc := &LoadedCert{Leaf: cert, Source: fmt.Sprintf("LocalMachine\\My (thumbprint %s)", thumb)}
	var key windows.Handle
	var spec uint32
	var mustFree bool
	// CACHE: CryptoAPI keeps (and frees) the handle; SILENT: never prompt.
	const cryptAcquireCacheFlag = 0x1
	err = windows.CryptAcquireCertificatePrivateKey(ctx,
		windows.CRYPT_ACQUIRE_SILENT_FLAG|windows.CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG|cryptAcquireCacheFlag,
		nil, &key, &spec, &mustFree)
	if err != nil {
		lc.KeyNote = fmt.Sprintf("CryptoAPI finds no usable private key for it (%v); `certutil -store my %s` must say \"Encryption test passed\"", err, thumb)
		return lc, nil
	}
	lc.HasKey = true
	lc.KeyNote = "private key present in the store (CryptoAPI acquired it silently); it stays there"
	if mustFree && spec != windows.CERT_NCRYPT_KEY_SPEC {
		windows.CryptReleaseContext(key, 0)
	}
	return lc, nil
}
