package probes

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// checkCCacheShape walks a credential cache the way gokrb5's
// CCache.Unmarshal does and refuses it when a count would make the decoder
// allocate more than the file could hold: gokrb5 makes the address and
// authorization-data slices from 32-bit counts read from the file, and an
// allocation of 2^31 elements ends the process (it is not a panic that
// recover catches).
func checkCCacheShape(b []byte) error {
	if len(b) < 2 || b[0] != 5 {
		return errors.New("first byte is not 5")
	}
	v := b[1]
	if v < 1 || v > 4 {
		return fmt.Errorf("version %d is not 1 to 4", v)
	}
	var e binary.ByteOrder = binary.BigEndian
	if v == 1 || v == 2 {
		e = binary.LittleEndian // native order; hvrdoctor's platforms are little-endian
	}
	r := &shapeReader{b: b, p: 2, e: e}
	if v == 4 {
		hlen := int(r.u16())
		for r.ok() && r.p <= hlen {
			r.u16()
			r.skip(int(r.u16()))
		}
	}
	r.principal(v)
	for r.ok() && r.p < len(b) {
		r.principal(v)
		r.principal(v)
		r.u16()
		if v == 3 {
			r.u16()
		}
		r.data()
		r.skip(4*4 + 1 + 4) // times, is_skey, flags
		for _, what := range []string{"addresses", "authorization data entries"} {
			n := r.i32()
			// Each element takes at least 6 bytes (a 16-bit type and a
			// 32-bit length).
			if n < 0 || int64(n)*6 > int64(len(b)-r.p) {
				if r.ok() {
					return fmt.Errorf("a credential claims %d %s, more than the file holds", n, what)
				}
				break
			}
			for i := int32(0); i < n && r.ok(); i++ {
				r.u16()
				r.data()
			}
		}
		r.data()
		r.data()
	}
	return nil
}

// shapeReader reads big- or little-endian fields; past the end it stops
// (ok turns false) instead of panicking.
type shapeReader struct {
	b   []byte
	p   int
	e   binary.ByteOrder
	bad bool
}

func (r *shapeReader) ok() bool { return !r.bad }

func (r *shapeReader) take(n int) []byte {
	if r.bad || n < 0 || n > len(r.b)-r.p {
		r.bad = true
		return nil
	}
	s := r.b[r.p : r.p+n]
	r.p += n
	return s
}

func (r *shapeReader) skip(n int) { r.take(n) }

func (r *shapeReader) u16() uint16 {
	if s := r.take(2); s != nil {
		return r.e.Uint16(s)
	}
	return 0
}

func (r *shapeReader) i32() int32 {
	if s := r.take(4); s != nil {
		return int32(r.e.Uint32(s))
	}
	return 0
}

func (r *shapeReader) data() { r.skip(int(r.i32())) }

func (r *shapeReader) principal(v byte) {
	if v != 1 {
		r.i32() // name type
	}
	n := r.i32()
	if v == 1 {
		n--
	}
	r.data() // realm
	for i := int32(0); i < n && r.ok(); i++ {
		r.data()
	}
}
