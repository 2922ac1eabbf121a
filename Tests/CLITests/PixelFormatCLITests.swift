import Foundation
import XCTest

/// The pixel-format policy seen from the command line: 16-bit, palette and gray+alpha inputs are converted by the
/// documented rules, deterministically, to what the equivalent 8-bit file gives.
final class PixelFormatCLITests: CLITestCase {
    let width = 48, height = 32

    func rgbPair() -> (eight: [UInt8], sixteen: [UInt8]) { TestImages.rgbPair(width: width, height: height) }

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

/// `stain eval` reads images by the same policy, and identical images have PSNR "inf" in every output.
final class EvalPixelFormatCLITests: CLITestCase {
    func testSixteenBitPredictionEqualsItsEightBitReferenceWithInfinitePSNR() throws {
        let pred = folder.appendingPathComponent("pred"), ref = folder.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: pred, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: ref, withIntermediateDirectories: true)
        let pair = TestImages.rgbPair(width: 48, height: 32)
        try TestImages.png(width: 48, height: 32, color: .rgb, bitDepth: 16, samples: pair.sixteen)
            .write(to: pred.appendingPathComponent("a.png"))
        try TestImages.png(width: 48, height: 32, color: .rgb, samples: pair.eight)
            .write(to: ref.appendingPathComponent("a.png"))
        let r = try stain(["eval", "--pred", "pred", "--ref", "ref", "--metrics", "psnr", "--json", "r.json",
                           "--csv", "r.csv"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: 'pred/a.png' has 16-bit pixels"), r.stderr)
        XCTAssertTrue(r.stdout.contains("psnr      inf ± n/a (1)"), r.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("r.json")))
            as! [String: Any]
        XCTAssertEqual((object["rows"] as! [[String: Any]])[0]["psnr"] as? String, "inf")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("r.csv"), encoding: .utf8), "name,psnr\na,inf\n")

        // A float TIFF is refused, naming the file.
        try TestImages.tiff(width: 48, height: 32, samplesPerPixel: 1, bitsPerSample: 32, sampleFormat: 3,
                            photometric: 1, pixels: Data(count: 48 * 32 * 4)).write(to: pred.appendingPathComponent("b.tif"))
        let float = try stain(["eval", "--pred", "pred", "--ref", "ref", "--metrics", "psnr", "--allow-unpaired"])
        XCTAssertEqual(float.status, 3, float.stderr)
        XCTAssertTrue(float.stderr.contains("'pred/b.tif' has 32-bit float pixels"), float.stderr)
    }
}
