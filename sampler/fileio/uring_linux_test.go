//go:build linux

package fileio

import (
	"fmt"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A minimal io_uring client for the writer helpers: one request at a time,
// through the raw system calls (the uapi layout of linux/io_uring.h), so
// the tests need no liburing.

const (
	uringWrite      = 23 // IORING_OP_WRITE
	uringWritev     = 2  // IORING_OP_WRITEV
	uringWriteFixed = 5  // IORING_OP_WRITE_FIXED

	uringOffSQRing = 0
	uringOffCQRing = 0x8000000
	uringOffSQEs   = 0x10000000

	uringEnterGetEvents    = 1
	uringRegisterBuffers   = 0
	uringFeatSingleMmap    = 1
	uringEntries           = 4
	uringSQESize           = 64
	uringCQESize           = 16
	uringParamsSQOffOffset = 40
	uringParamsCQOffOffset = 80
)

// uringParams is struct io_uring_params.
type uringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sqOff                                                                  [10]uint32 // head tail ring_mask ring_entries flags dropped array resv1 user_addr(u64)
	cqOff                                                                  [10]uint32 // head tail ring_mask ring_entries overflow cqes flags resv1 user_addr(u64)
}

// uringSQE is struct io_uring_sqe (64 bytes).
type uringSQE struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off           uint64
	addr          uint64
	len           uint32
	rwFlags       uint32
	userData      uint64
	bufIndex      uint16
	personality   uint16
	spliceFdIn    int32
	addr3         uint64
	pad           uint64
}

type uring struct {
	fd         int
	sq, cq     []byte
	sqes       []byte
	sqTail     *uint32
	sqMask     uint32
	sqArray    unsafe.Pointer
	cqHead     *uint32
	cqTail     *uint32
	cqMask     uint32
	cqesOffset uint32
}

func newUring() (*uring, error) {
	var p uringParams
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uringEntries, uintptr(unsafe.Pointer(&p)), 0)
	if errno != 0 {
		return nil, fmt.Errorf("io_uring_setup: %w", errno)
	}
	r := &uring{fd: int(fd)}
	sqSize := int(p.sqOff[6] + p.sqEntries*4)
	cqSize := int(p.cqOff[5] + p.cqEntries*uringCQESize)
	var err error
	if r.sq, err = unix.Mmap(r.fd, uringOffSQRing, max(sqSize, cqSize), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
		return nil, err
	}
	r.cq = r.sq
	if p.features&uringFeatSingleMmap == 0 {
		if r.cq, err = unix.Mmap(r.fd, uringOffCQRing, cqSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
			return nil, err
		}
	}
	if r.sqes, err = unix.Mmap(r.fd, uringOffSQEs, int(p.sqEntries)*uringSQESize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE); err != nil {
		return nil, err
	}
	r.sqTail = (*uint32)(unsafe.Pointer(&r.sq[p.sqOff[1]]))
	r.sqMask = *(*uint32)(unsafe.Pointer(&r.sq[p.sqOff[2]]))
	r.sqArray = unsafe.Pointer(&r.sq[p.sqOff[6]])
	r.cqHead = (*uint32)(unsafe.Pointer(&r.cq[p.cqOff[0]]))
	r.cqTail = (*uint32)(unsafe.Pointer(&r.cq[p.cqOff[1]]))
	r.cqMask = *(*uint32)(unsafe.Pointer(&r.cq[p.cqOff[2]]))
	r.cqesOffset = p.cqOff[5]
	return r, nil
}

// do submits one request and waits for its result.
func (r *uring) do(sqe uringSQE) (int32, error) {
	tail := atomic.LoadUint32(r.sqTail)
	idx := tail & r.sqMask
	*(*uringSQE)(unsafe.Pointer(&r.sqes[idx*uringSQESize])) = sqe
	*(*uint32)(unsafe.Add(r.sqArray, idx*4)) = idx
	atomic.StoreUint32(r.sqTail, tail+1)
	if _, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), 1, 1, uringEnterGetEvents, 0, 0); errno != 0 {
		return 0, fmt.Errorf("io_uring_enter: %w", errno)
	}
	head := atomic.LoadUint32(r.cqHead)
	if head == atomic.LoadUint32(r.cqTail) {
		return 0, fmt.Errorf("io_uring: no completion")
	}
	off := r.cqesOffset + (head&r.cqMask)*uringCQESize
	res := *(*int32)(unsafe.Pointer(&r.cq[off+8]))
	atomic.StoreUint32(r.cqHead, head+1)
	return res, nil
}

func (r *uring) close() {
	unix.Munmap(r.sqes)
	if &r.cq[0] != &r.sq[0] {
		unix.Munmap(r.cq)
	}
	unix.Munmap(r.sq)
	unix.Close(r.fd)
}

// moveUring writes total bytes to fd with io_uring requests of one opcode.
func moveUring(fd, total int, buf []byte, op uint8) error {
	r, err := newUring()
	if err != nil {
		return err
	}
	defer r.close()
	iov := make([]unix.Iovec, 3)
	if op == uringWriteFixed {
		one := unix.Iovec{Base: &buf[0]}
		one.SetLen(len(buf))
		if _, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), uringRegisterBuffers, uintptr(unsafe.Pointer(&one)), 1, 0, 0); errno != 0 {
			return fmt.Errorf("io_uring_register buffers: %w", errno)
		}
	}
	var off uint64
	for left := total; left > 0; {
		n := min(left, len(buf))
		sqe := uringSQE{opcode: op, fd: int32(fd), off: off}
		switch op {
		case uringWritev:
			parts := [][]byte{buf[:min(n, 1000)], buf[min(n, 1000):min(n, 3000)], buf[min(n, 3000):n]}
			cnt := 0
			for _, p := range parts {
				if len(p) > 0 {
					iov[cnt] = unix.Iovec{Base: &p[0]}
					iov[cnt].SetLen(len(p))
					cnt++
				}
			}
			sqe.addr, sqe.len = uint64(uintptr(unsafe.Pointer(&iov[0]))), uint32(cnt)
		default:
			sqe.addr, sqe.len = uint64(uintptr(unsafe.Pointer(&buf[0]))), uint32(n)
		}
		res, err := r.do(sqe)
		if err != nil {
			return err
		}
		if res < 0 {
			return fmt.Errorf("io_uring op %d: %w", op, unix.Errno(-res))
		}
		if int(res) != n {
			return fmt.Errorf("io_uring op %d: short write %d of %d", op, res, n)
		}
		off += uint64(n)
		left -= n
	}
	return nil
}
