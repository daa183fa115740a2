import CFlowSys
import Storage

/// How the engine runs: batch size, worker threads and morsel size.
public struct ExecutionOptions: Sendable {
  /// Rows per vector (1–8K is sensible).
  public var batchSize: Int
  /// Worker threads scanning units in parallel.
  public var parallelism: Int
  /// Consecutive units are grouped into morsels of at least this many rows; each morsel has its
  /// own partial state and partials merge in morsel order, so results never depend on
  /// `parallelism`.
  public var morselRows: Int

  /// The most bytes a worker's group table may hold (nil: no limit). A query that needs more
  /// stops with ``QueryError/memoryLimit(_:groups:)`` instead of exhausting the machine.
  public var memoryLimit: Int?

  /// Defaults: 16,384-row vectors (a stored block's rows, so the scan hands a block's decoded
  /// arrays over whole instead of copying 2,048-row slices out of them), every core the process may run on, 128K-row morsels, and a
  /// memory limit of half the machine's RAM.
  public init(
    batchSize: Int = 16384, parallelism: Int? = nil, morselRows: Int = 131_072,
    memoryLimit: Int? = ExecutionOptions.defaultMemoryLimit
  ) {
    self.batchSize = max(1, batchSize)
    self.parallelism = max(1, parallelism ?? activeProcessorCount())
    self.morselRows = max(1, morselRows)
    self.memoryLimit = memoryLimit
  }

  /// Half the physical memory.
  public static var defaultMemoryLimit: Int {
    Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE))) / 2
  }
}

/// The cores this process may run on (its affinity mask, so `taskset -c 0` means one).
func activeProcessorCount() -> Int {
  let n = Int(cflowsys_allowed_cpus())
  return n > 0 ? n : Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
