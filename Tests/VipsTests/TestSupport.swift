// Shared test setup: libvips started once with leak checking on for the whole test target, temp folders, and
// small deterministic test images.
import Foundation
import Vips
import XCTest

/// Base class of every Vips test: starts libvips with leak checking on (for the whole target) and gives each test
/// its own temporary folder.
class VipsTestCase: XCTestCase {
    private(set) var folder: URL!

    override class func setUp() {
        super.setUp()
        do {
            try Vips.start()
        } catch {
            fatalError("libvips did not start: \(error)")
        }
        // libvips' leak tracking must be on before the process makes its first libvips object (it aborts when it
        // frees an area it never tracked), so setLeakCheck refuses once objects exist. Other test targets share
        // this process and may hold libvips objects already; then the live-object counts of LeakTests still check
        // for leaks.
        Vips.setLeakCheck(true)
    }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("VipsTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Files in the test folder, sorted (hidden ones included).
    func folderContents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }
}

/// Deterministic pseudo-random bytes (xorshift), so tests need no fixtures.
func testBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}

/// A smooth RGB gradient (compresses well and survives JPEG nearly unchanged).
func gradientRGB(width: Int, height: Int) -> [UInt8] {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let index = (y * width + x) * 3
            pixels[index] = UInt8(x * 255 / max(1, width - 1))
            pixels[index + 1] = UInt8(y * 255 / max(1, height - 1))
            pixels[index + 2] = UInt8((x + y) * 255 / max(1, width + height - 2))
        }
    }
    return pixels
}
