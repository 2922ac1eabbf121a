import Foundation
import NeuralKernels
import StainModels
import StainTraining
import Vips
import XCTest

/// The teacher-cache measurement: zero without augmentation (the cache is then exactly the recomputed target),
/// and non-zero with the dihedral modes, which a convolution network does not commute with.
final class TeacherCacheCheckTests: XCTestCase {
    func testTheCacheIsExactWithoutAugmentationAndApproximateWithIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("teacher-cache-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var gray = [UInt8](repeating: 0, count: 32 * 32)
        for i in gray.indices { gray[i] = UInt8(truncatingIfNeeded: (i % 32) * 7 + (i / 32) * 3) }
        let path = folder.appendingPathComponent("z.png").path
        try VipsImage.from(buffer: gray, width: 32, height: 32, bands: 1).write(to: path)
        let teacher = SIGGRAPHColorizer(width: 8, seed: 3)
        let none = try TeacherCacheCheck.measure(enhanced: [path], teacher: teacher, draws: 2, seed: 1,
                                                 jitter: false, dihedral: false)
        XCTAssertEqual(none.maxLevels, 0, "no augmentation: the cached target is the recomputed one")
        let flipped = try TeacherCacheCheck.measure(enhanced: [path], teacher: teacher, draws: 8, seed: 1,
                                                    jitter: false, dihedral: true)
        XCTAssertGreaterThan(flipped.meanLevels, 0, "flips and rotations do not commute with the network")
    }
}
