#include "cinetwrap.h"
#include <cflowsys.h>
#include <arpa/inet.h>

const char *__real_inet_ntop(int af, const void *src, char *dst, socklen_t size);

const char *__wrap_inet_ntop(int af, const void *src, char *dst, socklen_t size) {
  if (af == AF_INET) return cflowsys_format_ipv4(src, dst, size);
  return __real_inet_ntop(af, src, dst, size);
}
