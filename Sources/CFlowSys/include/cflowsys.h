#ifndef CFLOWSYS_H
#define CFLOWSYS_H
#include <stddef.h>
#include <stdint.h>

/// Sends `count` datagrams with one sendmmsg call. Returns the number sent or -1.
int cflowsys_send_many(int fd, const uint8_t *const *buffers, const uint32_t *lengths, int count);

/// Requests a receive buffer of `bytes`, forcing past rmem_max when privileged. Returns the size set.
int cflowsys_set_rcvbuf(int fd, int bytes);

/// Opens a non-blocking UDP socket bound to the numeric address `host` (IPv4 or IPv6) and
/// `port`, with SO_REUSEADDR, IPV6_V6ONLY for IPv6, and a receive buffer of `rcvbuf` bytes
/// (forced past rmem_max when privileged). Stores the buffer size obtained in `rcvbuf_got`.
/// Returns the descriptor, or -errno (-EINVAL for an address that does not parse).
int cflowsys_udp_bind(const char *host, int port, int rcvbuf, int *rcvbuf_got);

/// Opens a UDP socket connected to the numeric address `host` and `port`, with a send buffer
/// of `sndbuf` bytes when positive. Returns the descriptor or -errno.
int cflowsys_udp_connect(const char *host, int port, int sndbuf);

/// Reads a socket's receive queue (getsockopt SO_MEMINFO): the bytes queued as the kernel
/// accounts them (each datagram's buffer overhead included), the receive buffer's size in the
/// same units, and the datagrams dropped since the socket opened (mostly because the buffer was
/// full). Returns 0, or -errno.
int cflowsys_receive_queue(int fd, uint32_t *queued, uint32_t *capacity, uint32_t *drops);

/// Writes the IPv4 address at `src` (4 bytes, network order) in dotted-decimal form into `dst`
/// (`size` bytes), as inet_ntop(AF_INET, ...) does: returns `dst`, or NULL with errno ENOSPC
/// when the text and its terminating NUL do not fit. Without printf: see CInetWrap.
const char *cflowsys_format_ipv4(const void *src, char *dst, unsigned size);

/// Keeps freed blocks up to `mmap_threshold` bytes in the heap (glibc mallopt M_MMAP_THRESHOLD
/// and M_TRIM_THRESHOLD), so large arrays allocated and freed per batch cost no page faults.
void cflowsys_keep_heap(int mmap_threshold, int trim_threshold);

/// The number of CPUs in the calling thread's affinity mask (sched_getaffinity), or 0 when it
/// cannot be read.
int cflowsys_allowed_cpus(void);

/// Tunes glibc's allocator for a query process: large blocks come from the heap instead of
/// fresh mmap'd pages, and freed memory is kept for the next block instead of being returned to
/// the kernel at once (a column decoded per block otherwise costs a page fault per 4 KiB).
/// Trimming still happens once more than `keep_bytes` lie free at the top of the heap.
void cflowsys_keep_freed_memory(long keep_bytes);

/// Asks the CPU to start loading the cache line at `p` (a hint: never faults).
static inline void cflowsys_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
