import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import StainCore
import Vips
import XCTest

/// The slide-viewer formats of `write`: OME-TIFF (sub-IFD pyramid + OME-XML with the pixel size), pyramidal TIFF
/// (resolution tags, readable by OpenSlide), DeepZoom (.dzi + tiles), all keeping the input's pixel size.
final class OutputFormatTests: PipelineTestCase {
    /// A 300×200 RGB image at 0.25 µm per pixel (4000 pixels per mm).
    func slide() throws -> String {
        var rgb = [UInt8](repeating: 0, count: 300 * 200 * 3)
        for i in rgb.indices { rgb[i] = UInt8(truncatingIfNeeded: i &* 7 / 3) }
        let target = path("slide.tif")
        try VipsImage.from(buffer: rgb, width: 300, height: 200, bands: 3).withResolution(x: 4000, y: 4000).write(to: target)
        return target
    }

    func write(_ output: String, _ extra: String = "") throws {
        try run("""
            pipeline: formats
            nodes:
              x: {type: read, path: \(try slide())}
              g: {type: grayscale, source: x, bands: "3"}
              w: {type: write, source: g, path: \(output), tile-size: 64\(extra)}
            """)
    }

    func testOMETIFFHasASubIFDPyramidAndOMEXMLWithThePixelSize() throws {
        let output = path("out.ome.tif")
        try write(output)
        let image = try VipsImage(contentsOf: output)
        XCTAssertEqual(image.xres, 4000, accuracy: 0.5)
        let reduced = try VipsImage(contentsOf: output, options: ["subifd": .int(0)])
        XCTAssertEqual([reduced.width, reduced.height], [150, 100], "the first sub-IFD is the half-size level")

        let xml = try XCTUnwrap(image.stringField("image-description"))
        final class PixelsReader: NSObject, XMLParserDelegate {
            var attributes: [String: String] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String]) {
                if name == "Pixels" { self.attributes = attributes }
            }
        }
        let reader = PixelsReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "the OME-XML is well formed")
        XCTAssertEqual(reader.attributes["SizeX"], "300")
        XCTAssertEqual(reader.attributes["SizeY"], "200")
        XCTAssertEqual(reader.attributes["SizeC"], "3")
        XCTAssertEqual(reader.attributes["Type"], "uint8")
        XCTAssertEqual(Double(reader.attributes["PhysicalSizeX"] ?? "") ?? 0, 0.25, accuracy: 1e-9)
        XCTAssertEqual(reader.attributes["PhysicalSizeXUnit"], "µm")
    }

    func testPyramidalTIFFKeepsThePixelSizeAndOpenSlideReadsItsLevels() throws {
        let output = path("out.tif")
        try write(output, ", pyramid: true")
        XCTAssertEqual(try VipsImage(contentsOf: output).xres, 4000, accuracy: 0.5)
        let level1 = try Vips.operation("openslideload", ["filename": .string(output), "level": .int(1)]).image()
        XCTAssertEqual([level1.width, level1.height], [150, 100])
    }

    func testDeepZoomWritesTheDescriptorAndItsTiles() throws {
        let output = path("out.dzi")
        try write(output)
        let descriptor = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(descriptor.contains("Width=\"300\"") && descriptor.contains("Height=\"200\""), descriptor)
        XCTAssertTrue(descriptor.contains("TileSize=\"64\""), descriptor)
        // Level 9 is full size (2⁹ = 512 ≥ 300): 5 × 4 tiles of 64.
        let full = try FileManager.default.contentsOfDirectory(atPath: path("out_files/9"))
        XCTAssertEqual(full.count, 20, "\(full)")
        // Nothing staged is left behind.
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder.path).contains { $0.hasPrefix(".") })
    }
}
