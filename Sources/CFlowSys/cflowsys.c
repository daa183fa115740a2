#define _GNU_SOURCE
#include "cflowsys.h"
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sched.h>
#include <malloc.h>

enum { CFLOWSYS_MAX = 256 };

int cflowsys_send_many(int fd, const uint8_t *const *buffers, const uint32_t *lengths, int count) {
  if (count > CFLOWSYS_MAX) count = CFLOWSYS_MAX;
  struct mmsghdr msgs[CFLOWSYS_MAX];
  struct iovec iov[CFLOWSYS_MAX];
  memset(msgs, 0, sizeof(struct mmsghdr) * (size_t)count);
  for (int i = 0; i < count; i++) {
    iov[i].iov_base = (void *)buffers[i];
    iov[i].iov_len = lengths[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  return sendmmsg(fd, msgs, (unsigned)count, 0);
}

int cflowsys_set_rcvbuf(int fd, int bytes) {
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
  }
  int got = 0;
  socklen_t len = sizeof(got);
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
  return got;
}

#include <arpa/inet.h>
#include <fcntl.h>
#include <unistd.h>

static int cflowsys_sockaddr(const char *host, int port, struct sockaddr_storage *ss,
                             socklen_t *len) {
  memset(ss, 0, sizeof(*ss));
  struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    *len = sizeof(*v4);
    return AF_INET;
  }
  if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    *len = sizeof(*v6);
    return AF_INET6;
  }
  return -1;
}

int cflowsys_udp_bind(const char *host, int port, int rcvbuf, int *rcvbuf_got) {
  struct sockaddr_storage ss;
  socklen_t len = 0;
  int family = cflowsys_sockaddr(host, port, &ss, &len);
  if (family < 0) return -EINVAL;
  int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  int got = rcvbuf > 0 ? cflowsys_set_rcvbuf(fd, rcvbuf) : 0;
  if (rcvbuf_got) *rcvbuf_got = got;
  if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  return fd;
}

int cflowsys_udp_connect(const char *host, int port, int sndbuf) {
  struct sockaddr_storage ss;
  socklen_t len = 0;
  int family = cflowsys_sockaddr(host, port, &ss, &len);
  if (family < 0) return -EINVAL;
  int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (sndbuf > 0) {
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) != 0)
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
  }
  if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  return fd;
}

#include <linux/sock_diag.h>

int cflowsys_receive_queue(int fd, uint32_t *queued, uint32_t *capacity, uint32_t *drops) {
  uint32_t mem[SK_MEMINFO_VARS];
  memset(mem, 0, sizeof(mem));
  socklen_t len = sizeof(mem);
  if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0) return -errno;
  *queued = mem[SK_MEMINFO_RMEM_ALLOC];
  *capacity = mem[SK_MEMINFO_RCVBUF];
  *drops = len > SK_MEMINFO_DROPS * sizeof(uint32_t) ? mem[SK_MEMINFO_DROPS] : 0;
  return 0;
}

const char *cflowsys_format_ipv4(const void *src, char *dst, unsigned size) {
  const uint8_t *a = src;
  char text[16];
  unsigned n = 0;
  for (int i = 0; i < 4; i++) {
    unsigned v = a[i];
    if (v >= 100) text[n++] = (char)('0' + v / 100);
    if (v >= 10) text[n++] = (char)('0' + v / 10 % 10);
    text[n++] = (char)('0' + v % 10);
    text[n++] = i < 3 ? '.' : '\0';
  }
  if (n > size) {
    errno = ENOSPC;
    return NULL;
  }
  memcpy(dst, text, n);
  return dst;
}

#include <malloc.h>

void cflowsys_keep_heap(int mmap_threshold, int trim_threshold) {
  mallopt(M_MMAP_THRESHOLD, mmap_threshold);
  mallopt(M_TRIM_THRESHOLD, trim_threshold);
}

int cflowsys_allowed_cpus(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

void cflowsys_keep_freed_memory(long keep_bytes) {
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, (int)(keep_bytes > 0x7fffffff ? 0x7fffffff : keep_bytes));
}
