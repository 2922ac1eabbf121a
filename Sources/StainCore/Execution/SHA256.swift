import CCrypto
import Foundation

/// SHA-256 for provenance records (hashes of pipeline files, weights, inputs and outputs), computed by OpenSSL's
/// libcrypto. Chosen over swift-crypto, which would compile BoringSSL's C sources into every clean build (CI builds
/// twice), and over the hand-written version StainKit had before: libcrypto uses the CPU's SHA instructions and
/// hashed 64 MiB in 0.059 s where the hand-written code took 0.666 s (see docs/architecture.md).
public final class SHA256 {
    private let context: OpaquePointer

    /// A fresh hasher; fails only if libcrypto cannot allocate a digest context.
    public init() throws {
        guard let context = EVP_MD_CTX_new() else { throw Failure("cannot allocate a SHA-256 context") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw Failure("cannot start a SHA-256 digest")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes.
    public func update(_ data: Data) {
        data.withUnsafeBytes { bytes in _ = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) }
    }

    /// The 32-byte digest of everything added so far (call once: the context is finished by it).
    public func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return digest
    }

    /// The hex digest of `data`.
    public static func hex(_ data: Data) throws -> String {
        let hasher = try SHA256()
        hasher.update(data)
        return Self.hex(hasher.finalize())
    }

    /// The hex digest of a file, read in 1 MiB chunks (weights and slides can be large).
    public static func hex(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NodeRunError(.unreadableInput, "cannot read '\(path)' to hash it")
        }
        defer { try? handle.close() }
        let hasher = try SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return Self.hex(hasher.finalize())
    }

    static func hex(_ digest: [UInt8]) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// A libcrypto failure.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
