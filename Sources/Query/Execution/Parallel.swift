import Dispatch
import Synchronization

/// Runs `body(i)` for `i` in `0..<count` on up to `workers` threads, workers taking the next
/// index as they finish. Results come back in index order, so merging them is deterministic
/// whatever the number of workers. The first error wins; the others stop at their next index.
func parallelMap<T>(
  _ count: Int, workers: Int, _ body: (Int) throws(QueryError) -> T
) throws(QueryError) -> [T] {
  if workers <= 1 || count <= 1 {
    var out: [T] = []
    out.reserveCapacity(count)
    for i in 0..<count { out.append(try body(i)) }
    return out
  }
  let box = ResultBox<T>(count)
  withoutActuallyEscaping(body) { body in
    let task = UncheckedBox(body)
    DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
      while let i = box.next() {
        do {
          let r = try task.value(i)
          box.store(i, r)
        } catch {
          box.fail(error as? QueryError ?? .provider("\(error)"))
        }
      }
    }
  }
  if let e = box.error { throw e }
  return box.results.map { $0! }
}

/// `@unchecked Sendable`: carries the caller's `body` to the worker threads, which call it at
/// once for different indices (the contract of ``parallelMap(_:workers:_:)``: each call
/// touches only its own index's data) and are all joined before the caller goes on.
private final class UncheckedBox<V>: @unchecked Sendable {
  let value: V
  init(_ v: V) { value = v }
}

/// `@unchecked Sendable`: every mutable property is read and written holding `lock`, but
/// `results`, read without it by the caller once every worker has been joined.
private final class ResultBox<T>: @unchecked Sendable {
  private let lock = Mutex(())
  private var nextIndex = 0
  private let count: Int
  var results: [T?]
  var error: QueryError?

  init(_ count: Int) {
    self.count = count
    results = [T?](repeating: nil, count: count)
  }

  func next() -> Int? {
    lock.withLock { _ in
      guard error == nil, nextIndex < count else { return nil }
      nextIndex += 1
      return nextIndex - 1
    }
  }

  func store(_ i: Int, _ r: T) { lock.withLock { _ in results[i] = r } }

  func fail(_ e: QueryError) {
    lock.withLock { _ in
      if error == nil { error = e }
    }
  }
}

/// Runs `body(partial, i)` for `i` in `0..<count` on up to `workers` threads, each thread
/// folding the indices it takes into its own partial made by `make`. Returns the partials of
/// the threads that took work. The first error wins; the others stop at their next index.
func parallelPartials<P: AnyObject & Sendable>(
  _ count: Int, workers: Int, _ make: () -> P,
  _ body: (P, Int) throws(QueryError) -> Void
) throws(QueryError) -> [P] {
  let threads = max(1, min(workers, count))
  if threads == 1 {
    let p = make()
    for i in 0..<count { try body(p, i) }
    return count == 0 ? [] : [p]
  }
  let box = ResultBox<P>(threads)
  let indices = ResultBox<Int>(count)
  withoutActuallyEscaping(make) { make in
    withoutActuallyEscaping(body) { body in
      let task = UncheckedBox((make, body))
      DispatchQueue.concurrentPerform(iterations: threads) { w in
        let p = task.value.0()
        var took = false
        while let i = indices.next() {
          took = true
          do {
            try task.value.1(p, i)
          } catch {
            indices.fail(error as? QueryError ?? .provider("\(error)"))
          }
        }
        if took { box.store(w, p) }
      }
    }
  }
  if let e = indices.error { throw e }
  return box.results.compactMap { $0 }
}
