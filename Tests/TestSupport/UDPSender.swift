import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A UDP socket sending to 127.0.0.1:`port` (plain send, one datagram per call).
public final class UDPSender {
  public let fd: Int32

  public init(port: Int) {
    fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    _ = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
  }

  deinit { close(fd) }

  /// Sends every datagram, pausing `pauseEvery` datagrams so a debug-built collector keeps up.
  public func send(_ datagrams: [[UInt8]], pauseEvery: Int = 64) {
    for (i, d) in datagrams.enumerated() {
      _ = d.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
      if (i + 1) % pauseEvery == 0 { usleep(2_000) }
    }
  }
}
