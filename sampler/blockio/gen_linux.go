//go:build linux

package blockio

// The eBPF object and its Go loader are generated from bpf/blockio.bpf.c
// and committed, so `go build` needs no clang. To regenerate (Debian:
// apt-get install clang llvm libbpf-dev):
//
//	go generate ./sampler/blockio/
//
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -tags linux -target amd64,arm64 -type owner -type acct_key -type acct_val -type dirty_key -type proc_info -type file_path -type inode_key -type overflow_key bpf bpf/blockio.bpf.c -- -O2 -g -Wall -Werror -I/usr/include/x86_64-linux-gnu
