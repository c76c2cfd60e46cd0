package lab

import (
	"crypto/rand"
	"fmt"
	"net"
	"sync/atomic"
)

// NXDomainDNS is a DNS server on a loopback address, UDP port 53, that
// answers every query "no such name" (NXDOMAIN): what a proxy's DNS says
// for a replica name it does not know. Squid takes only the address of a
// name server (port 53), so each stub gets its own 127.x.y.z address.
type NXDomainDNS struct {
	// IP is the loopback address it listens on.
	IP      string
	conn    *net.UDPConn
	queries atomic.Int64
}

// Queries is how many queries the stub answered.
func (d *NXDomainDNS) Queries() int64 { return d.queries.Load() }

// StartNXDomainDNS starts the stub; it needs root (port 53).
func StartNXDomainDNS() (*NXDomainDNS, error) {
	var lastErr error
	for range 8 {
		var b [3]byte
		rand.Read(b[:])
		ip := net.IPv4(127, 64|b[0]&63, b[1], 1+b[2]%250)
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: ip, Port: 53})
		if err != nil {
			lastErr = err
			continue
		}
		d := &NXDomainDNS{IP: ip.String(), conn: c}
		go d.serve()
		return d, nil
	}
	return nil, fmt.Errorf("lab dns stub: %w", lastErr)
}

func (d *NXDomainDNS) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFromUDP(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		d.queries.Add(1)
		// Same ID and question; flags: response, recursion desired and
		// available, rcode 3 (NXDOMAIN); no answers.
		resp := append([]byte(nil), buf[:n]...)
		resp[2] = 0x80 | buf[2]&0x01
		resp[3] = 0x80 | 3
		resp[6], resp[7], resp[8], resp[9], resp[10], resp[11] = 0, 0, 0, 0, 0, 0
		// Drop any additional records (EDNS): keep the question only.
		if end := questionEnd(resp); end > 0 {
			resp = resp[:end]
		}
		d.conn.WriteToUDP(resp, from)
	}
}

// questionEnd is the offset after the first question of a DNS message,
// or 0 when it cannot be read.
func questionEnd(m []byte) int {
	i := 12
	for i < len(m) {
		l := int(m[i])
		if l == 0 {
			i++
			if i+4 > len(m) {
				return 0
			}
			return i + 4
		}
		if l&0xC0 != 0 {
			return 0
		}
		i += 1 + l
	}
	return 0
}

// Stop closes the stub.
func (d *NXDomainDNS) Stop() error { return d.conn.Close() }
