import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// GETs `url` with URLSession (10 s at most): status, Content-Type and body.
func httpGet(_ url: String) throws -> (status: Int, contentType: String?, body: Data) {
  final class Box: @unchecked Sendable {
    var result: Result<(Int, String?, Data), any Error> = .failure(TestFailure("no answer"))
  }
  let box = Box()
  let done = DispatchSemaphore(value: 0)
  let task = URLSession.shared.dataTask(with: URL(string: url)!) { data, response, error in
    if let error {
      box.result = .failure(error)
    } else if let r = response as? HTTPURLResponse {
      box.result = .success(
        (r.statusCode, r.value(forHTTPHeaderField: "Content-Type"), data ?? Data()))
    }
    done.signal()
  }
  task.resume()
  guard done.wait(timeout: .now() + 10) == .success else {
    task.cancel()
    throw TestFailure("\(url): no answer in 10 s")
  }
  let (status, type, body) = try box.result.get()
  return (status, type, body)
}
