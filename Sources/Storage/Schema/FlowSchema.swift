/// The `flows` table: one row per flow record, whatever protocol delivered it.
///
/// This is the one column table of the store: the collector's decoder fills the columns it names
/// (Ingest maps exporters' information elements to them by name), the store seals and scans them,
/// and the query engine binds their names. Add a column at the end with the next version as its
/// `since`; segments written before read it as NULL.
public enum FlowSchema {
  /// The current version of the `flows` schema.
  public static let version = 2

  /// The `flows` table at the current version. Column names are part of the public contract.
  public static let flows = TableSchema(
    name: "flows", version: version,
    columns: [
      ColumnDefinition("time", .timestamp, nullable: false, role: .time),
      ColumnDefinition("end_time", .timestamp, nullable: false, role: .endTime),
      ColumnDefinition("exporter", .ip, nullable: false),
      ColumnDefinition("domain", .uint32, nullable: false),
      ColumnDefinition("src_addr", .ip),
      ColumnDefinition("dst_addr", .ip),
      ColumnDefinition("src_port", .uint16),
      ColumnDefinition("dst_port", .uint16),
      ColumnDefinition("proto", .uint8),
      ColumnDefinition("tcp_flags", .uint8),
      ColumnDefinition("tos", .uint8),
      ColumnDefinition("bytes", .uint64),
      ColumnDefinition("packets", .uint64),
      ColumnDefinition("rev_bytes", .uint64),
      ColumnDefinition("rev_packets", .uint64),
      ColumnDefinition("in_if", .uint32),
      ColumnDefinition("out_if", .uint32),
      ColumnDefinition("vlan", .uint16),
      ColumnDefinition("src_as", .uint32),
      ColumnDefinition("dst_as", .uint32),
      ColumnDefinition("next_hop", .ip),
      ColumnDefinition("sampling", .uint32, nullable: false),
      ColumnDefinition("end_reason", .uint8),
      ColumnDefinition("app", .string),
      ColumnDefinition("http_host", .string),
      ColumnDefinition("http_url", .string),
      ColumnDefinition("http_status", .uint16),
      ColumnDefinition("tls_sni", .string),
      ColumnDefinition("dns_query", .string),
      ColumnDefinition("http_user_agent", .string, since: 2),
      ColumnDefinition("http_method", .string, since: 2),
    ])

  /// The tables the store knows, by name: a catalog's copy of one of them takes these
  /// definitions (see ``TableSchema/merged(with:)``).
  static let builtIn: [String: TableSchema] = [flows.name: flows]
}
