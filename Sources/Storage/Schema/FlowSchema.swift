/// The `flows` table: one row per flow record, whatever protocol delivered it.
public enum FlowSchema {
  /// The current version of the `flows` schema.
  public static let version = 1

  /// The `flows` table at the current version. Column names are part of the public contract.
  public static let flows = TableSchema(
    name: "flows", version: version,
    columns: [
      ColumnDefinition("time", .timestamp),
      ColumnDefinition("end_time", .timestamp),
      ColumnDefinition("exporter", .ip),
      ColumnDefinition("domain", .uint32),
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
      ColumnDefinition("sampling", .uint32),
      ColumnDefinition("end_reason", .uint8),
      ColumnDefinition("app", .string),
      ColumnDefinition("http_host", .string),
      ColumnDefinition("http_url", .string),
      ColumnDefinition("http_status", .uint16),
      ColumnDefinition("tls_sni", .string),
      ColumnDefinition("dns_query", .string),
    ])
}
