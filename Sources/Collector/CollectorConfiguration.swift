import Ingest

/// How a ``Collector`` listens, filters, queues and stores. Every bound is documented in
/// docs/INGEST.md and settable from `flowstore serve`.
public struct CollectorConfiguration: Sendable {
  /// Addresses to listen on.
  public var listen: [ListenAddress] = ListenAddress.defaults
  /// Exporter prefixes accepted; empty accepts every sender. Others are counted and ignored.
  public var allow: [AddressRange] = []
  /// The decoder's bounds (templates per exporter, fields per template, held sets, exporters).
  public var limits = DecoderLimits()
  /// Datagrams the decode queue holds at most; beyond it datagrams are dropped and counted.
  public var queueDatagrams = 65_536
  /// Payload bytes the decode queue holds at most.
  public var queueBytes = 128 << 20
  /// Socket receive buffer requested (SO_RCVBUFFORCE when privileged, else SO_RCVBUF, which
  /// `net.core.rmem_max` caps).
  public var receiveBufferBytes = 64 << 20
  /// Datagrams read per receive call (recvmmsg through swift-nio's vector reads).
  public var vectorReadCount = 64
  /// Largest datagram accepted; longer ones would be truncated by the receive slots and are
  /// dropped and counted instead.
  public var maxDatagramBytes = 9216
  /// Rows gathered before one store append.
  public var batchRows = 65_536
  /// Longest time (seconds) decoded rows wait before they are appended.
  public var flushInterval = 0.5
  /// How often (seconds) exporter statistics and changed templates are saved to the catalog.
  public var statisticsInterval = 2.0
  /// How often (seconds) template and held-set expiry runs.
  public var expiryInterval = 30.0
  /// Distinct senders whose rejected or dropped datagrams are counted one by one; beyond it
  /// they are counted together.
  public var maxCountedSenders = 4096

  /// The defaults.
  public init() {}
}
