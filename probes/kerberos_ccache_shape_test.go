package probes

import (
	"runtime"
	"strings"
	"testing"
)

// A credential cache whose credential claims 2^31-1 addresses: gokrb5
// would allocate 2^31 addresses, which ends the process (no panic to
// recover); it is refused first.
const hugeCountCCache = "\x05\x03\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x08LAB.TEST\x00\x00\x00\x05admin" +
	"\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00" + // client: name type, no components, empty realm
	"\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00" + // server
	"\x00\x12\x00\x12\x00\x00\x00\x00" + // key type (twice in v3), empty key
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + // times, is_skey, flags
	"\x7f\xff\xff\xff" // addresses

func allocatedBy(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

func TestCCacheCountsBounded(t *testing.T) {
	var err error
	if n := allocatedBy(func() { _, err = decodeCCache([]byte(hugeCountCCache)) }); n > 16<<20 {
		t.Fatalf("decoding allocated %d MiB", n>>20)
	}
	if err == nil || !strings.Contains(err.Error(), "2147483647 addresses") {
		t.Errorf("error %v; want the address count named", err)
	}
	// The data ends early but the slice's capacity goes on (as a buffer's
	// does): gokrb5 read counts from beyond the data. Fill the spare
	// capacity with a hostile count.
	short := hugeCountCCache[:len(hugeCountCCache)-4]
	buf := make([]byte, len(short), len(short)+64)
	copy(buf, short)
	spare := buf[len(short):cap(buf)]
	for i := range spare {
		spare[i] = []byte{0x7f, 0xff, 0xff, 0xff}[i%4]
	}
	if n := allocatedBy(func() { decodeCCache(buf) }); n > 16<<20 {
		t.Fatalf("decoding a short cache with spare capacity allocated %d MiB", n>>20)
	}
}
