package probes

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// Bounds on the key-derivation work a PFX may ask for. Exporters use far
// less: Windows 2000 (legacy 3DES) or 2000 (AES-256), OpenSSL 2048, Java
// 10000, OWASP's PBKDF2 advice 600000. A file asking for more (2^31 keeps a
// core busy for minutes) is refused before any key is derived.
const (
	MaxPFXIterations      = 1_000_000 // any one MAC or PBE/PBKDF2 count
	MaxPFXTotalIterations = 4_000_000 // all counts in the file together
	// maxPFXNodes bounds the ASN.1 elements looked at (a 4 MiB file of
	// empty elements would otherwise be two million).
	maxPFXNodes = 100_000
)

// ErrPFXIterations means a PFX asks for more key-derivation iterations than
// MaxPFXIterations (or MaxPFXTotalIterations in all).
var ErrPFXIterations = errors.New("the PFX asks for too many key-derivation iterations")

var (
	oidPKCS12PBE = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1} // pbeWithSHAAnd* (prefix)
	oidPBKDF2    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
)

// checkPFXIterations walks a PFX's ASN.1 (without the password) and refuses
// it when the MAC's iteration count or any plain-text PBE/PBKDF2 parameter
// exceeds the bounds. Parameters inside encrypted content are only seen by
// the decoder after the outer ones (checked here) have been derived.
func checkPFXIterations(data []byte) error {
	w := pfxWalker{}
	var pfx struct {
		Version  int
		AuthSafe asn1.RawValue
		MacData  asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(data, &pfx); err != nil {
		return nil // not a PFX: the decoders say so
	}
	if len(pfx.MacData.FullBytes) > 0 {
		var mac struct {
			Mac        asn1.RawValue
			MacSalt    []byte
			Iterations *big.Int `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(pfx.MacData.FullBytes, &mac); err == nil && mac.Iterations != nil {
			if err := w.add("MAC", mac.Iterations); err != nil {
				return err
			}
		}
	}
	return w.walk(pfx.AuthSafe.FullBytes, 0)
}

type pfxWalker struct {
	nodes int
	total int64
}

// add counts one iteration count against the bounds.
func (w *pfxWalker) add(what string, n *big.Int) error {
	if !n.IsInt64() || n.Int64() > MaxPFXIterations {
		return fmt.Errorf("%w: %s %s iterations, more than the %d any exporter uses", ErrPFXIterations, what, n, MaxPFXIterations)
	}
	w.total += n.Int64()
	if w.total > MaxPFXTotalIterations {
		return fmt.Errorf("%w: %d in all, more than %d", ErrPFXIterations, w.total, MaxPFXTotalIterations)
	}
	return nil
}

// walk visits every element of der, descending into constructed elements
// and into OCTET STRINGs that hold DER, and checks each algorithm
// identifier of a PKCS#12 PBE or PBKDF2.
func (w *pfxWalker) walk(der []byte, depth int) error {
	if depth > 24 {
		return nil
	}
	for len(der) > 0 {
		w.nodes++
		if w.nodes > maxPFXNodes {
			return fmt.Errorf("%w: the file has more than %d ASN.1 elements", ErrPFXIterations, maxPFXNodes)
		}
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(der, &v)
		if err != nil {
			return nil
		}
		der = rest
		if v.Class == asn1.ClassUniversal && v.Tag == asn1.TagSequence {
			if err := w.algorithm(v.Bytes); err != nil {
				return err
			}
		}
		switch {
		case v.IsCompound:
			if err := w.walk(v.Bytes, depth+1); err != nil {
				return err
			}
		case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString:
			if err := w.walk(v.Bytes, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// algorithm checks a SEQUENCE's content when it is an AlgorithmIdentifier
// of a PKCS#12 PBE (params: salt, iterations) or PBKDF2 (params: salt,
// iterationCount, ...).
func (w *pfxWalker) algorithm(seq []byte) error {
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(seq, &oid)
	if err != nil || len(rest) == 0 {
		return nil
	}
	isPBE := len(oid) == len(oidPKCS12PBE)+1 && oid[:len(oidPKCS12PBE)].Equal(oidPKCS12PBE)
	if !isPBE && !oid.Equal(oidPBKDF2) {
		return nil
	}
	var params struct {
		Salt       asn1.RawValue
		Iterations *big.Int
		KeyLength  asn1.RawValue `asn1:"optional"`
		PRF        asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(rest, &params); err != nil || params.Iterations == nil {
		return nil
	}
	what := "PBE"
	if !isPBE {
		what = "PBKDF2"
	}
	return w.add(what, params.Iterations)
}
