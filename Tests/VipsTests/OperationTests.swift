// The generic operation caller: conversions of every VipsValue kind into the argument's GType, reading outputs,
// and clear errors for bad calls.
import Foundation
import Vips
import XCTest

final class OperationTests: VipsTestCase {
    let pixels = testBytes(count: 16 * 12 * 3, seed: 42)

    func rgb() throws -> VipsImage {
        try VipsImage.from(buffer: pixels, width: 16, height: 12, bands: 3, interpretation: .srgb)
    }

    func testInvert() throws {
        let inverted = try Vips.operation("invert", ["in": .image(try rgb())]).image("out")
        XCTAssertEqual(try inverted.pixels(as: UInt8.self), pixels.map { 255 - $0 })
        XCTAssertEqual(try rgb().call("invert").pixels(as: UInt8.self), pixels.map { 255 - $0 })
    }

    func testMaplutWithReversedTable() throws {
        let table = try VipsImage.from(buffer: (0..<256).map { UInt8(255 - $0) }, width: 256, height: 1, bands: 1)
        let mapped = try rgb().call("maplut", ["lut": .image(table)])
        XCTAssertEqual(mapped.format, .uchar)
        XCTAssertEqual(try mapped.pixels(as: UInt8.self), pixels.map { 255 - $0 })
    }

    func testHistFindCountsEveryPixel() throws {
        let band = try rgb().call("extract_band", ["band": .int(1)])
        XCTAssertEqual(band.bands, 1)
        XCTAssertEqual(try band.pixels(as: UInt8.self), stride(from: 1, to: pixels.count, by: 3).map { pixels[$0] })
        let histogram = try band.call("hist_find")
        XCTAssertEqual([histogram.width, histogram.height], [256, 1])
        XCTAssertEqual(histogram.format, .uint)
        let counts = try histogram.pixels(as: UInt32.self)
        XCTAssertEqual(counts.reduce(0, +), 16 * 12)
        for value in [0, 17, 200] {
            let expected = stride(from: 1, to: pixels.count, by: 3).filter { pixels[$0] == value }.count
            XCTAssertEqual(Int(counts[value]), expected)
        }
    }

    func testCastByEnumNickAndByInt() throws {
        let asFloat = try rgb().call("cast", ["format": .enumeration("float")])
        XCTAssertEqual(asFloat.format, .float)
        XCTAssertEqual(try asFloat.pixels(as: Float.self), pixels.map(Float.init))
        XCTAssertEqual(try rgb().call("cast", ["format": .int(Int(BandFormat.ushort.rawValue))]).format, .ushort)
        XCTAssertEqual(try rgb().call("cast", ["format": .string("short")]).format, .short)
    }

    func testDoublesIntoArrayDoubleAndNumberOutputs() throws {
        let linear = try rgb().call("linear", ["a": .doubles([2]), "b": .double(1)])
        XCTAssertEqual(linear.format, .float)
        XCTAssertEqual(try linear.pixels(as: Float.self), pixels.map { Float($0) * 2 + 1 })
        let maximum = try Vips.operation("max", ["in": .image(try rgb())])
        XCTAssertEqual(try maximum.double("out"), Double(pixels.max()!))
        let x = try maximum.int("x"), y = try maximum.int("y")
        let atMax = try rgb().region(x: x, y: y, width: 1, height: 1, as: UInt8.self)
        XCTAssertEqual(atMax.max(), pixels.max())
        let mean = try rgb().average()
        XCTAssertEqual(mean, Double(pixels.map(Int.init).reduce(0, +)) / Double(pixels.count), accuracy: 1e-9)
        let point = try Vips.operation("getpoint", ["in": .image(try rgb()), "x": .int(3), "y": .int(2)])
        XCTAssertEqual(try point.doubles("out_array"), (0..<3).map { Double(pixels[(2 * 16 + 3) * 3 + $0]) })
    }

    func testImageArrayAndIntArrayInputs() throws {
        let joined = try Vips.operation("bandjoin", ["in": .images([try rgb(), try rgb().call("extract_band",
                                                                                               ["band": .int(0)])])])
            .image()
        XCTAssertEqual(joined.bands, 4)
        XCTAssertTrue(joined.hasAlpha)
        let composed = try Vips.operation("composite", ["in": .images([joined, joined]), "mode": .ints([2])]).image()
        XCTAssertEqual(composed.bands, 4)
        XCTAssertEqual([composed.width, composed.height], [16, 12])
    }

    func testEnumOutputAndBoolInput() throws {
        let copy = try rgb().call("copy", ["interpretation": Interpretation.bw.value, "bands": .int(3)])
        XCTAssertEqual(copy.interpretation, .bw)
        let flipped = try rgb().call("flip", ["direction": .enumeration("horizontal")])
        XCTAssertEqual(try flipped.region(x: 15, y: 0, width: 1, height: 1, as: UInt8.self), Array(pixels[0..<3]))
        let embedded = try rgb().call("embed", ["x": .int(2), "y": .int(3), "width": .int(20), "height": .int(20),
                                                "extend": .enumeration("white")])
        XCTAssertEqual(try embedded.region(x: 0, y: 0, width: 1, height: 1, as: UInt8.self), [255, 255, 255])
    }

    func testBadCallsThrowClearErrors() throws {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "no error"
        }
        XCTAssertTrue(message { _ = try Vips.operation("no_such_op", [:]) }.contains("unknown libvips operation"))
        XCTAssertTrue(message { _ = try self.rgb().call("invert", ["bogus": .int(1)]) }.contains("no argument 'bogus'"))
        XCTAssertTrue(message { _ = try Vips.operation("max", ["in": .image(try self.rgb()), "x": .int(1)]) }
            .contains("is an output"))
        XCTAssertTrue(message { _ = try self.rgb().call("cast", ["format": .enumeration("octonion")]) }
            .contains("not a member"))
        XCTAssertTrue(message { _ = try self.rgb().call("cast", ["format": .double(2.5)]) }.contains("cannot take"))
        XCTAssertTrue(message { _ = try self.rgb().call("extract_band", ["band": .int(7)]) }.contains("extract_band"))
        XCTAssertTrue(message { _ = try Vips.operation("invert", [:]) }.contains("invert"))
        XCTAssertTrue(message { _ = try Vips.operation("max", ["in": .image(try self.rgb())]).image("x") }
            .contains("not an image"))
        XCTAssertTrue(message { _ = try Vips.operation("max", ["in": .image(try self.rgb())]).double("nope") }
            .contains("no output 'nope'"))
    }
}
