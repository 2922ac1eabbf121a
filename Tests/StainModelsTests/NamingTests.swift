import XCTest
@testable import StainModels

/// junyanz ↔ paper key renaming (docs/paper.md ("Networks")) and the deterministic weight formula.
final class NamingTests: XCTestCase {
    func testJunyanzIndexMapForNineBlocks() throws {
        let pairs = [("model_head.1.weight", "model.1.weight"), ("model_head.4.bias", "model.4.bias"),
                     ("model_head.7.weight", "model.7.weight"),
                     ("model_body.0.conv_block.1.weight", "model.10.conv_block.1.weight"),
                     ("model_body.8.conv_block.5.bias", "model.18.conv_block.5.bias"),
                     ("model_tail.0.weight", "model.19.weight"), ("model_tail.3.weight", "model.22.weight"),
                     ("model_tail.7.bias", "model.26.bias")]
        for (paper, junyanz) in pairs {
            XCTAssertEqual(try JunyanzGeneratorNames.junyanzKey(forPaperKey: paper, blocks: 9), junyanz)
            XCTAssertEqual(try JunyanzGeneratorNames.paperKey(forJunyanzKey: junyanz, blocks: 9), paper)
        }
    }

    func testJunyanzMapFollowsTheBlockCount() throws {
        XCTAssertEqual(try JunyanzGeneratorNames.junyanzKey(forPaperKey: "model_tail.7.weight", blocks: 2),
                       "model.19.weight")
        XCTAssertEqual(try JunyanzGeneratorNames.paperKey(forJunyanzKey: "model.15.weight", blocks: 2),
                       "model_tail.3.weight")
    }

    func testOldJunyanzBuffersAreDroppedAndJunkIsRejected() throws {
        XCTAssertNil(try JunyanzGeneratorNames.paperKey(forJunyanzKey: "model.2.running_mean", blocks: 9))
        XCTAssertNil(try JunyanzGeneratorNames.paperKey(forJunyanzKey: "model.2.num_batches_tracked", blocks: 9))
        XCTAssertThrowsError(try JunyanzGeneratorNames.paperKey(forJunyanzKey: "netG.1.weight", blocks: 9))
        XCTAssertThrowsError(try JunyanzGeneratorNames.junyanzKey(forPaperKey: "model_body.9.conv_block.1.weight",
                                                                  blocks: 9))
        XCTAssertTrue(JunyanzGeneratorNames.isJunyanzLayout(["model.1.weight", "model.26.bias"]))
        XCTAssertFalse(JunyanzGeneratorNames.isJunyanzLayout(["model_head.1.weight"]))
    }

    func testDeterministicWeightsAreStableAndScaled() {
        // Values pinned from scripts/fixtures/stainmodels_torch.py deterministic_tensor.
        XCTAssertEqual(DeterministicWeights.fnv1a32(""), 0x811C_9DC5)
        XCTAssertEqual(DeterministicWeights.fnv1a32("a"), 0xE40C_292C)
        let w = DeterministicWeights.values(name: "model_head.1.weight", shape: [64, 4, 7, 7])
        XCTAssertEqual(w.count, 64 * 4 * 49)
        XCTAssertEqual(Array(w.prefix(3)), [-0.029450003057718277, -0.029612308368086815, 0.019065260887145996])
        let bound = 1 / Float(4 * 49).squareRoot()
        XCTAssertLessThanOrEqual(w.map(abs).max()!, bound)
        XCTAssertGreaterThan(w.map(abs).max()!, 0.99 * bound)
        let b = DeterministicWeights.values(name: "model_head.1.bias", shape: [64])
        XCTAssertLessThanOrEqual(b.map(abs).max()!, 0.1)
        XCTAssertNotEqual(Array(w.prefix(64)), b)
    }
}
