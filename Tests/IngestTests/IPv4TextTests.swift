import CFlowSys
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `cflowsys_format_ipv4`, which the flowstore executable uses for inet_ntop(AF_INET, ...)
/// (CInetWrap), against glibc's inet_ntop itself (test binaries are not wrapped): the same text
/// for every address whose octets take the values where digit counts change, and for random
/// ones; and the same refusal (NULL, ENOSPC) for every buffer too short.
struct IPv4TextTests {
  static func glibc(_ a: [UInt8], size: Int) -> (String?, Int32) {
    var out = [CChar](repeating: 0x7F, count: 32)
    errno = 0
    let r = a.withUnsafeBytes { src in
      out.withUnsafeMutableBufferPointer {
        inet_ntop(AF_INET, src.baseAddress, $0.baseAddress, socklen_t(size))
      }
    }
    return (r == nil ? nil : Self.text(out), r == nil ? errno : 0)
  }

  static func ours(_ a: [UInt8], size: Int) -> (String?, Int32) {
    var out = [CChar](repeating: 0x7F, count: 32)
    errno = 0
    let r = a.withUnsafeBytes { src in
      out.withUnsafeMutableBufferPointer {
        cflowsys_format_ipv4(src.baseAddress, $0.baseAddress, UInt32(size))
      }
    }
    return (r == nil ? nil : Self.text(out), r == nil ? errno : 0)
  }

  /// The text before the first NUL of `buffer`.
  static func text(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }

  @Test func sameTextAsGlibc() {
    let edges: [UInt8] = [0, 1, 9, 10, 11, 99, 100, 101, 199, 200, 249, 250, 255]
    var addresses: [[UInt8]] = []
    for a in edges {
      for b in edges { for c in edges { for d in edges { addresses.append([a, b, c, d]) } } }
    }
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<50_000 {
      addresses.append((0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }
    var mismatches = 0
    for a in addresses {
      let (want, _) = Self.glibc(a, size: 16)
      let (got, _) = Self.ours(a, size: 16)
      if got != want {
        mismatches += 1
        if mismatches < 5 { Issue.record("\(a): \(got ?? "nil") vs glibc \(want ?? "nil")") }
      }
    }
    #expect(mismatches == 0)
  }

  @Test func shortBuffersAreRefusedLikeGlibc() {
    for a: [UInt8] in [
      [0, 0, 0, 0], [1, 2, 3, 4], [10, 0, 0, 1], [192, 168, 100, 254], [255, 255, 255, 255],
    ] {
      for size in 0...17 {
        let want = Self.glibc(a, size: size)
        let got = Self.ours(a, size: size)
        #expect(got.0 == want.0 && got.1 == want.1, "\(a) in \(size) bytes: \(got) vs \(want)")
      }
    }
  }
}
