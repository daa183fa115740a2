/// A hostile sender's flood: IPFIX messages of one template set each, with
/// ``templatesPerSet`` templates of random ids, one of `domains` random observation domains
/// and a random sequence number (``SplitMix``, so runs repeat).
public struct TemplateFlood {
  public static let templatesPerSet = 2
  public var random: SplitMix
  /// The observation domains the flood picks from.
  public var domains: [UInt32] = []
  /// Datagrams generated.
  public var sent = 0
  /// Domains used so far.
  public var seen: Set<UInt32> = []
  public var domainsUsed: Int { seen.count }

  public init(seed: UInt64, domains: Int) {
    random = SplitMix(seed: seed)
    self.domains = (0..<domains).map { _ in UInt32(truncatingIfNeeded: next()) }
  }

  public mutating func next() -> UInt64 { random.next() }

  /// The next `count` flood datagrams.
  public mutating func datagrams(_ count: Int) -> [[UInt8]] {
    (0..<count).map { _ in
      var body: [UInt8] = []
      for _ in 0..<Self.templatesPerSet {
        let id = UInt16(256 + next() % (65_536 - 256))
        body += MessageBuilder.template(id, [(8, 4, 0), (12, 4, 0), (2, 4, 0), (1, 4, 0)])
      }
      let domain = domains[Int(next() % UInt64(domains.count))]
      seen.insert(domain)
      sent += 1
      return MessageBuilder.ipfix(
        sequence: UInt32(truncatingIfNeeded: next()), domain: domain,
        sets: [MessageBuilder.set(2, body)])
    }
  }
}
