/// How long the socket reader pauses after a read cycle that emptied the socket, from what the
/// last pause left in the socket's receive queue (``ReceiveHandler``).
///
/// Each wake-up of the reader costs a context switch on the event loop and another on the
/// worker, whatever it reads; under steady traffic a longer pause reads the same datagrams with
/// fewer of them. The kernel holds what arrives meanwhile, so the pause is bounded by the
/// receive buffer:
/// - **steady traffic**: at the rate the last pause measured, the next pause fills at most
///   ``targetFill`` of the buffer, so a burst of four times that rate still fits;
/// - **bursts**: whatever the rate, a pause is at most as long as a burst of
///   ``burstBytesPerSecond`` takes to fill the buffer;
/// - **light traffic** (under ``lightBytes`` queued after a pause): wake-ups are few anyway, and
///   the pause goes back to ``initial`` (or the burst bound, when shorter) instead of growing,
///   so that a burst after a quiet spell meets a short pause;
/// - **drops** (the kernel's count grew): the pause is cut to a quarter;
/// - it never grows more than twofold at once, and stays within ``shortest`` ... ``longest``.
struct ReadPacer {
  /// The shortest and longest pause, and the pause before any measurement (nanoseconds).
  static let shortest: Int64 = 1_000_000
  static let longest: Int64 = 50_000_000
  static let initial: Int64 = 5_000_000
  /// The share of the receive buffer that steady traffic may fill during one pause.
  static let targetFill = 0.25
  /// The burst rate (bytes a second, as the kernel accounts them) the buffer must absorb for
  /// the length of a pause: about 4 Gbit/s of full-size datagrams.
  static let burstBytesPerSecond = 1.0e9
  /// Bytes queued after a pause below which traffic counts as light.
  static let lightBytes = 64 << 10

  /// The next pause (nanoseconds).
  private(set) var pause = ReadPacer.initial
  /// The kernel's drop count at the last observation (a socket opens with none).
  private var drops: UInt32 = 0

  /// Takes what a pause of `elapsed` nanoseconds left queued (`queued` of `capacity` bytes)
  /// and the kernel's drop count so far (which wraps); returns the datagrams dropped since the
  /// last observation, or since the socket opened.
  @discardableResult
  mutating func observe(elapsed: Int64, queued: Int, capacity: Int, drops: UInt32) -> UInt32 {
    let dropped = drops &- self.drops
    self.drops = drops
    if dropped > 0 {
      pause = max(Self.shortest, pause / 4)
      return dropped
    }
    let burst = Double(capacity) / (Self.burstBytesPerSecond / 1e9)
    guard queued >= Self.lightBytes, elapsed > 0, capacity > 0 else {
      pause = max(Self.shortest, Int64(min(Double(Self.initial), burst)))
      return 0
    }
    let perNanosecond = Double(queued) / Double(elapsed)
    let steady = Self.targetFill * Double(capacity) / perNanosecond
    let next = min(steady, burst, Double(Self.longest), 2 * Double(pause))
    pause = max(Self.shortest, Int64(next))
    return 0
  }
}
