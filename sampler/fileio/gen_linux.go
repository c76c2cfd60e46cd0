//go:build linux

package fileio

// The eBPF object and its Go loader are generated from bpf/fileio.bpf.c and
// committed, so `go build` needs no clang. To regenerate (Debian: apt-get
// install clang llvm libbpf-dev):
//
//	go generate ./sampler/fileio/
//
//go:generate go run github.com/cilium/ebpf/cmd/bpf2go -tags linux -target amd64,arm64 -type file_key -type file_counts -type inode_key -type file_path -type exit_counts -type pidns_info -type last_file bpf bpf/fileio.bpf.c -- -O2 -g -Wall -Werror -I/usr/include/x86_64-linux-gnu
