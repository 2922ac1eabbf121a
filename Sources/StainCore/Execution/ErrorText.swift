import Foundation
import Vips

/// One line of text for an error, as users read it: libvips' own text for a `VipsError`, the localized sentence for
/// Foundation errors (never the `Error Domain=… UserInfo={…}` dump), the description for everything else.
public enum ErrorText {
    public static func describe(_ error: Error) -> String {
        switch error {
        case let vips as VipsError: return vips.message
        case let cocoa as CocoaError: return cocoa.localizedDescription
        case let posix as POSIXError: return posix.localizedDescription
        case let decoding as DecodingError: return describe(decoding)
        default:
            let ns = error as NSError
            if [NSCocoaErrorDomain, NSPOSIXErrorDomain, NSURLErrorDomain].contains(ns.domain) { return ns.localizedDescription }
            return "\(error)"
        }
    }

    /// JSON decoding problems in a sentence, instead of `dataCorrupted(Swift.DecodingError.Context(…))`.
    static func describe(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "" : " at '\(path)'"
        }
        switch error {
        case .dataCorrupted(let context): return "not valid JSON\(at(context))"
        case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(at(context))"
        case .typeMismatch(let type, let context): return "expected \(type)\(at(context))"
        case .valueNotFound(let type, let context): return "missing \(type) value\(at(context))"
        @unknown default: return "\(error)"
        }
    }
}
