/// How values print in results: timestamps ISO 8601 UTC with milliseconds, addresses in
/// canonical form, NULL as given.
enum ValueText {
  static func text(_ v: Value, null: String) -> String {
    v.isNull ? null : v.description
  }
}
