import Ingest
import Storage

/// Datagrams received together (one vectored read), copied back to back into one buffer so
/// the receive path allocates once per read, not once per datagram.
struct DatagramChunk: Sendable {
  /// The payloads, back to back.
  var bytes: [UInt8] = []
  /// End offset of each payload in ``bytes``.
  var ends: [Int] = []
  /// Sender of each payload.
  var exporters: [IPAddress] = []
  /// Receive time of the chunk (ms since the epoch).
  var receivedAt: Int64 = 0

  var count: Int { ends.count }
  var isEmpty: Bool { ends.isEmpty }

  mutating func append(_ payload: UnsafeRawBufferPointer, from exporter: IPAddress) {
    bytes.append(contentsOf: payload)
    ends.append(bytes.count)
    exporters.append(exporter)
  }

  /// Removes every payload, keeping the buffers' capacity.
  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    exporters.removeAll(keepingCapacity: true)
    receivedAt = 0
  }

  /// Calls `body` with each payload and its sender.
  func forEachDatagram(_ body: (UnsafeRawBufferPointer, IPAddress) -> Void) {
    bytes.withUnsafeBytes { all in
      var start = 0
      for i in 0..<ends.count {
        body(UnsafeRawBufferPointer(rebasing: all[start..<ends[i]]), exporters[i])
        start = ends[i]
      }
    }
  }
}
