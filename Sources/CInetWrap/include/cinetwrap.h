#ifndef CINETWRAP_H
#define CINETWRAP_H
#include <sys/socket.h>

/// The flowstore executable is linked with `--wrap=inet_ntop`: swift-nio's datagram reads call
/// inet_ntop for every datagram's sender (to fill `SocketAddress`'s host text, which the
/// collector never reads), and glibc formats IPv4 through sprintf, about an eighth of the event
/// loop's CPU. This formats IPv4 directly (cflowsys_format_ipv4, same text) and hands every
/// other family to glibc's inet_ntop (`__real_inet_ntop`). Only code linked into the
/// executable is redirected; shared libraries keep glibc's.
const char *__wrap_inet_ntop(int af, const void *src, char *dst, socklen_t size);

#endif
