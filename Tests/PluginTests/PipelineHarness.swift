import Foundation
import StainCore
import StainKit
import Vips
import XCTest

/// Runs small pipelines through the real engine and node catalog in a temporary folder.
class PipelineTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("stain-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!.path
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Validates and runs pipeline text; returns the written files.
    @discardableResult
    func run(_ text: String, _ settings: PipelineSettings = .init()) throws -> [String] {
        let graph = try Validator(registry: Catalog.registry)
            .validate(PipelineDocument.parse(text, file: "test.yaml"), settings)
        return try Executor(graph: graph, context: RunContext(threads: 1)).run()
    }

    func pixels(_ path: String) throws -> (width: Int, height: Int, bands: Int, values: [UInt8]) {
        let image = try VipsImage(contentsOf: path)
        return (image.width, image.height, image.bands, try image.pixels(as: UInt8.self))
    }

    /// Writes an image from a buffer.
    func save(_ values: [UInt8], width: Int, height: Int, bands: Int, as name: String) throws -> String {
        let target = path(name)
        try VipsImage.from(buffer: values, width: width, height: height, bands: bands).write(to: target)
        return target
    }
}
