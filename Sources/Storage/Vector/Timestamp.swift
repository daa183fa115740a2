/// Text forms of millisecond timestamps (UTC).
public enum Timestamp {
  /// ISO 8601 with milliseconds and a `Z`, e.g. `2026-11-27T10:00:00.000Z`.
  public static func iso8601(_ ms: Int64) -> String {
    let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
    let rem = ms - days * 86_400_000
    let (y, m, d) = civil(fromDays: days)
    func pad(_ v: Int64, _ w: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3_600_000, 2)):"
      + "\(pad(rem / 60_000 % 60, 2)):\(pad(rem / 1000 % 60, 2)).\(pad(rem % 1000, 3))Z"
  }

  /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z` or `±HH[:]MM`
  /// (a space may replace the `T`). A bare date is its midnight UTC. Returns ms, or nil when
  /// malformed (including impossible dates such as February 30).
  public static func parse(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    var i = 0
    func num(_ n: Int) -> Int64? {
      guard i + n <= b.count else { return nil }
      var v: Int64 = 0
      for k in 0..<n {
        let c = b[i + k]
        guard c >= 48, c <= 57 else { return nil }
        v = v * 10 + Int64(c - 48)
      }
      i += n
      return v
    }
    func take(_ c: Character) -> Bool {
      if i < b.count, b[i] == c.asciiValue! {
        i += 1
        return true
      }
      return false
    }
    guard let y = num(4), take("-"), let mo = num(2), take("-"), let d = num(2),
      (1...12).contains(mo), (1...daysIn(month: mo, year: y)).contains(d)
    else { return nil }
    var ms = days(year: y, month: mo, day: d) * 86_400_000
    if i == b.count { return ms }
    guard take("T") || take("t") || take(" "), let h = num(2), h < 24, take(":"),
      let mi = num(2), mi < 60
    else { return nil }
    ms += h * 3_600_000 + mi * 60_000
    if take(":") {
      guard let s = num(2), s < 60 else { return nil }
      ms += s * 1000
      if take(".") {
        var digits = 0
        var frac: Int64 = 0
        while i < b.count, b[i] >= 48, b[i] <= 57 {
          if digits < 3 { frac = frac * 10 + Int64(b[i] - 48) }
          digits += 1
          i += 1
        }
        guard digits > 0 else { return nil }
        if digits < 3 { for _ in digits..<3 { frac *= 10 } }
        ms += frac
      }
    }
    if i == b.count || take("Z") || take("z") { return i == b.count ? ms : nil }
    let sign: Int64
    if take("+") {
      sign = 1
    } else if take("-") {
      sign = -1
    } else {
      return nil
    }
    guard let oh = num(2), oh < 24 else { return nil }
    _ = take(":")
    guard let om = num(2), om < 60, i == b.count else { return nil }
    return ms - sign * (oh * 3_600_000 + om * 60_000)
  }

  static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 of a civil date (proleptic Gregorian).
  public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The civil date of a day count since 1970-01-01.
  public static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
