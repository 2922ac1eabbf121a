import Foundation
import XCTest

/// The pixel-format policy seen from the command line: 16-bit, palette and gray+alpha inputs are converted by the
/// documented rules, deterministically, to what the equivalent 8-bit file gives.
final class PixelFormatCLITests: CLITestCase {
    let width = 48, height = 32

    /// 8-bit RGB samples, and a 16-bit version whose round(v / 257) is exactly them (with low-byte noise).
    func rgbPair() -> (eight: [UInt8], sixteen: [UInt8]) {
        let eight = TestImages.bytes(width * height * 3, seed: 7)
        let noise = TestImages.bytes(eight.count, seed: 99)
        var sixteen: [UInt8] = []
        for (v, n) in zip(eight, noise) {
            let offset = Int(n % 201) - 100  // |offset| ≤ 100 < 128.5: still rounds to v
            let x = UInt16(clamping: Int(v) * 257 + offset)
            sixteen += [UInt8(x >> 8), UInt8(x & 0xFF)]
        }
        return (eight, sixteen)
    }

    func enhance(_ input: String, to output: String) throws -> Result {
        try stain(["run", repositoryRoot.appendingPathComponent("pipelines/enhance.yaml").path, "--threads", "2",
                   "--set", "input=\(input)", "--set", "reference=\(sample("brightfield-reference.png"))",
                   "--set", "output=\(output)", "--no-provenance"])
    }

    func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    func testSixteenBitRGBThroughEnhanceIsDeterministicAndMatchesEightBit() throws {
        let (eight, sixteen) = rgbPair()
        try TestImages.png(width: width, height: height, color: .rgb, bitDepth: 16, samples: sixteen)
            .write(to: folder.appendingPathComponent("in16.png"))
        try TestImages.png(width: width, height: height, color: .rgb, samples: eight)
            .write(to: folder.appendingPathComponent("in8.png"))
        let first = try enhance("in16.png", to: "a.png")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("warning: "), first.stderr)
        XCTAssertTrue(first.stderr.contains("'in16.png' has 16-bit pixels (3 bands, rgb16, 48×32); converted to 8-bit "
                                            + "by round(v / 257)"), first.stderr)
        for name in ["b.png", "c.png", "d.png"] {
            let again = try enhance("in16.png", to: name)
            XCTAssertEqual(again.status, 0, again.stderr)
            XCTAssertEqual(try data(name), try data("a.png"), "\(name): the same 16-bit input gives the same bytes")
        }
        let reference = try enhance("in8.png", to: "eight.png")
        XCTAssertEqual(reference.status, 0, reference.stderr)
        XCTAssertEqual(try data("a.png"), try data("eight.png"), "16-bit scaled by round(v/257) = the 8-bit file")
        // The 16-bit histogram reference follows the same rule.
        let h16 = try stain(["histogram", "in16.png", "-o", "h16.json"])
        let h8 = try stain(["histogram", "in8.png", "-o", "h8.json"])
        XCTAssertEqual(h16.status, 0, h16.stderr)
        XCTAssertTrue(h16.stderr.contains("'in16.png' has 16-bit pixels"), h16.stderr)
        XCTAssertEqual(h8.status, 0, h8.stderr)
        let counts = { (name: String) throws -> [Int] in
            let object = try JSONSerialization.jsonObject(with: try self.data(name)) as! [String: Any]
            return object["counts"] as! [Int]
        }
        XCTAssertEqual(try counts("h16.json"), try counts("h8.json"))
    }

    func testPaletteAndGrayAlphaAreConvertedByTheDocumentedRules() throws {
        // Palette: expanded to RGB by the loader; the result equals the same picture stored as RGB.
        let palette: [UInt8] = [10, 20, 30, 200, 100, 50, 0, 255, 128, 77, 77, 77]
        let indices = TestImages.bytes(width * height, seed: 3).map { $0 % 4 }
        try TestImages.png(width: width, height: height, color: .palette, samples: indices, palette: palette)
            .write(to: folder.appendingPathComponent("palette.png"))
        let rgb = indices.flatMap { palette[Int($0) * 3..<Int($0) * 3 + 3] }
        try TestImages.png(width: width, height: height, color: .rgb, samples: Array(rgb))
            .write(to: folder.appendingPathComponent("rgb.png"))
        XCTAssertEqual(try enhance("palette.png", to: "p.png").status, 0)
        XCTAssertEqual(try enhance("rgb.png", to: "r.png").status, 0)
        XCTAssertEqual(try data("p.png"), try data("r.png"))

        // Gray+alpha: flattened on white, so fully opaque pixels equal the plain gray image.
        let gray = TestImages.bytes(width * height, seed: 5)
        try TestImages.png(width: width, height: height, color: .grayAlpha, samples: gray.flatMap { [$0, 255] })
            .write(to: folder.appendingPathComponent("ga.png"))
        try TestImages.png(width: width, height: height, color: .gray, samples: gray)
            .write(to: folder.appendingPathComponent("g.png"))
        XCTAssertEqual(try enhance("ga.png", to: "ga-out.png").status, 0)
        XCTAssertEqual(try enhance("g.png", to: "g-out.png").status, 0)
        XCTAssertEqual(try data("ga-out.png"), try data("g-out.png"))
    }
}
