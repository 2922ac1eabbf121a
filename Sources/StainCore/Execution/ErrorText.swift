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
        default:
            let ns = error as NSError
            if [NSCocoaErrorDomain, NSPOSIXErrorDomain, NSURLErrorDomain].contains(ns.domain) { return ns.localizedDescription }
            return "\(error)"
        }
    }
}
