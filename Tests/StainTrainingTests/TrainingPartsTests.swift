import Foundation
import NeuralKernels
@testable import StainTraining
import XCTest

/// The parts of the paper code's training loop that the step fixtures do not reach: the schedule, the replay
/// pool, the augmentation modes, the recipe parser.
final class TrainingPartsTests: XCTestCase {
    func testScheduleIsThePaperCodes() {
        let s = LearningRateSchedule(initial: 1e-4, epochs: 300, decayAfter: 200)
        XCTAssertEqual(s.rate(epoch: 0), 1e-4)
        XCTAssertEqual(s.rate(epoch: 201), 1e-4, "epochs 0–201 run at lr0")
        XCTAssertEqual(s.rate(epoch: 202), 0.99e-4, accuracy: 1e-12)
        XCTAssertEqual(s.rate(epoch: 299), 0.02e-4, accuracy: 1e-12, "it never reaches 0")
        XCTAssertGreaterThan(s.rate(epoch: 299), 0)
    }

    func testReplayPoolStoresUntilFullThenSwapsHalfTheTime() throws {
        let pool = ReplayPool(capacity: 2, seed: 1)
        func image(_ v: Float) -> Tensor { Tensor(shape: [1, 1, 1, 1], repeating: v) }
        XCTAssertEqual(try pool.query(image(1)).item, 1)
        XCTAssertEqual(try pool.query(image(2)).item, 2)
        var returnedOld = 0, returnedNew = 0
        for i in 3...402 {
            let out = try pool.query(image(Float(i))).item
            if out == Float(i) { returnedNew += 1 } else { returnedOld += 1 }
            XCTAssertEqual(pool.images.count, 2)
        }
        XCTAssertEqual(Double(returnedOld) / 400, 0.5, accuracy: 0.08)
        // State round-trips through a checkpoint: the restored pool answers like the original.
        var dict = StateDict()
        pool.save(into: &dict, prefix: "pool")
        let copy = ReplayPool(capacity: 2, seed: 99)
        try copy.load(from: dict, prefix: "pool")
        for i in 0..<20 {
            XCTAssertEqual(try pool.query(image(Float(1000 + i))).item, try copy.query(image(Float(1000 + i))).item)
        }
        XCTAssertGreaterThan(returnedNew, 0)
        let none = ReplayPool(capacity: 0, seed: 1)
        XCTAssertEqual(try none.query(image(7)).item, 7)
    }

    /// The 8 modes against their definitions on a 3×2 (W×H) image with distinct values.
    func testDihedralModesFollowThePaperCode() {
        let w = 3, h = 2
        let src = (0..<(w * h)).map { UInt8($0) }  // value = y·w + x
        func at(_ x: Int, _ y: Int) -> UInt8 { src[y * w + x] }
        func run(_ mode: Int) -> ([UInt8], Int, Int) {
            var aug = Augmentation.identity
            aug.mode = mode
            return aug.apply(src, width: w, height: h, channels: 1, fill: 0)
        }
        for mode in [0, 5] { XCTAssertEqual(run(mode).0, src) }
        let flipW = (0..<h).flatMap { y in (0..<w).map { x in at(w - 1 - x, y) } }
        XCTAssertEqual(run(1).0, flipW)
        XCTAssertEqual(run(7).0, flipW)
        XCTAssertEqual(run(2).0, (0..<h).flatMap { y in (0..<w).map { x in at(x, h - 1 - y) } })
        XCTAssertEqual(run(3).0, (0..<h).flatMap { y in (0..<w).map { x in at(w - 1 - x, h - 1 - y) } })
        // torch.rot90(k=1, dims=(H, W)): out[i][j] = in[j][W − 1 − i], shape W×H.
        let rot = run(6)
        XCTAssertEqual(rot.1, h)
        XCTAssertEqual(rot.2, w)
        XCTAssertEqual(rot.0, (0..<w).flatMap { i in (0..<h).map { j in at(w - 1 - i, j) } })
        let rotFlip = run(4)
        XCTAssertEqual(rotFlip.0, (0..<w).flatMap { i in (0..<h).map { j in at(w - 1 - (w - 1 - i), j) } })
    }

    func testJitterStaysWithinThePaperRange() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let j = Augmentation.Jitter.random(width: 256, height: 256, using: &rng)
            XCTAssertLessThanOrEqual(abs(j.degrees), 1)
            XCTAssertLessThanOrEqual(abs(j.dx), 5)
            XCTAssertLessThanOrEqual(abs(j.dy), 5)
            XCTAssertTrue((0.98...1.02).contains(j.scale))
        }
        // An identity jitter leaves the image as it is; a shift moves it and fills with the fill value.
        let src = (0..<16).map { UInt8($0 + 1) }
        let shifted = Augmentation(jitter: .init(degrees: 0, dx: 1, dy: 0, scale: 1), mode: 0, cropX: 0, cropY: 0,
                                   cropSide: 0).apply(src, width: 4, height: 4, channels: 1, fill: 0).pixels
        XCTAssertEqual(shifted, [0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15])
    }

    func testRecipeErrorsAreAllReportedWithPositions() {
        let text = """
            recipe: student-unpaired
            data:
              root: /nonexistent-folder
              crop: 12
            model:
              filtres: 8
              width: 4
            schedule:
              epochs: 10
              decay-after: 10
            """
        XCTAssertThrowsError(try RecipeParser.parse(text, file: "r.yaml")) { error in
            let messages = (error as? RecipeInvalid)?.diagnostics.map(\.description) ?? []
            XCTAssertTrue(messages.contains { $0.hasPrefix("r.yaml:3:3: key 'data.root': missing folder") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("r.yaml:6:3: key 'model.filtres': unknown key (did you mean 'model.filters'?)") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("key 'model.width': not used by a 'student-unpaired' recipe") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("key 'data.crop': must be a multiple of 8") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("key 'schedule.decay-after': must be below schedule.epochs") }, "\(messages)")
            XCTAssertTrue(messages.contains { $0.contains("key 'model.teacher': missing required key") }, "\(messages)")
        }
    }
}
