import Foundation
import Synchronization

@testable import Storage

/// A ``FileSystem`` that forwards to POSIX but can be told to fail writes as a full disk does
/// (ENOSPC), for paths containing a given fragment, optionally after writing part of the data.
final class FailingFileSystem: FileSystem {
  let base = PosixFileSystem()
  let failing = Mutex<String?>(nil)
  let partial = Mutex<Bool>(false)
  /// Whether ``openDirect(_:)`` forwards (else the file system offers no direct I/O).
  let direct = Mutex<Bool>(true)
  /// Whether direct writes fail with EINVAL, as on a file system that accepts the `O_DIRECT`
  /// open but needs another alignment.
  let rejectDirectWrites = Mutex<Bool>(false)

  func failWrites(matching fragment: String?, tornWrite: Bool = false) {
    failing.withLock { $0 = fragment }
    partial.withLock { $0 = tornWrite }
  }

  func open(_ path: String, flags: Int32, mode: UInt32) throws(StorageError) -> Int32 {
    try base.open(path, flags: flags, mode: mode)
  }
  func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
    if let f = failing.withLock({ $0 }), path.contains(f) {
      if partial.withLock({ $0 }) {
        try base.write(
          fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(bytes.count / 2)), path: path)
      }
      throw .system(operation: "write", path: path, errno: .noSpace)
    }
    try base.write(fd, bytes, path: path)
  }
  func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String)
    throws(StorageError) -> Int
  { try base.pread(fd, buffer, offset: offset, path: path) }
  func fsync(_ fd: Int32, path: String) throws(StorageError) { try base.fsync(fd, path: path) }
  func close(_ fd: Int32) { base.close(fd) }
  func rename(_ from: String, _ to: String) throws(StorageError) { try base.rename(from, to) }
  func unlink(_ path: String) throws(StorageError) { try base.unlink(path) }
  func makeDirectory(_ path: String) throws(StorageError) { try base.makeDirectory(path) }
  func list(_ path: String) throws(StorageError) -> [String] { try base.list(path) }
  func size(_ path: String) -> Int? { base.size(path) }
  func truncate(_ fd: Int32, length: Int, path: String) throws(StorageError) {
    try base.truncate(fd, length: length, path: path)
  }
  func openDirect(_ path: String) throws(StorageError) -> Int32? {
    direct.withLock { $0 } ? try base.openDirect(path) : nil
  }
  /// A torn direct write keeps its first half, in whole blocks (direct writes are block-sized).
  func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String)
    throws(StorageError)
  {
    if rejectDirectWrites.withLock({ $0 }) {
      throw .system(operation: "write", path: path, errno: .invalid)
    }
    if let f = failing.withLock({ $0 }), path.contains(f) {
      let half = (bytes.count / 2) & ~(DirectAppender.block - 1)
      if partial.withLock({ $0 }), half > 0 {
        try base.pwrite(
          fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(half)), offset: offset, path: path)
      }
      throw .system(operation: "write", path: path, errno: .noSpace)
    }
    try base.pwrite(fd, bytes, offset: offset, path: path)
  }
}
