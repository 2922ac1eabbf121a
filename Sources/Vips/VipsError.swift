// The one error type of the Vips module: a message, usually libvips' own error buffer text.
internal import CVips
import Foundation

/// An error from libvips or from this wrapper. `message` carries the libvips error buffer text when there is one.
public struct VipsError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "VipsError: \(message)" }

    /// Takes the libvips error buffer (then clears it), prefixed with what was being done.
    static func fromBuffer(context: String) -> VipsError {
        let text = String(cString: vips_error_buffer()).trimmingCharacters(in: .whitespacesAndNewlines)
        vips_error_clear()
        return VipsError(text.isEmpty ? "\(context) failed" : "\(context): \(text)")
    }
}
