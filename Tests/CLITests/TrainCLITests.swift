import Foundation
import XCTest

/// `stain dataset synth` and `stain train` as a user runs them: a tiny synthetic data set, a tiny teacher, students
/// stopped by SIGKILL and by Ctrl-C and resumed (they must end where an uninterrupted run ends), and bad recipes
/// and data sets (exit 2 with `file:line:col`, no run folder left).
final class TrainCLITests: CLITestCase {
    /// A 64² data set cut from the bundled 512² bright-field sample.
    func makeData() throws -> String {
        let r = try stain(["dataset", "synth", "--from", sample("brightfield-source.png"), "--out", "data", "--size", "64",
                           "--min-tissue", "0.3", "--seed", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return folder.appendingPathComponent("data").path
    }

    func teacherRecipe(_ data: String) throws -> String {
        try write("""
            recipe: teacher
            data: {root: \(data), crop: 32}
            model: {width: 2}
            schedule: {epochs: 1, decay-after: 0}
            output: {checkpoint-every: 100, validate-every: 0, panel-every: 0}
            """, to: "teacher.yaml")
    }

    func studentRecipe(_ data: String, teacher: String) throws -> String {
        try write("""
            recipe: student-unpaired
            data: {root: \(data), crop: 32}
            model: {filters: 2, blocks: 1, discriminator-filters: 2, teacher: \(teacher)}
            schedule: {epochs: 2, decay-after: 0}
            train: {seed: 7, pool-size: 3}
            output: {checkpoint-every: 4, validate-every: 0, panel-every: 0}
            """, to: "student.yaml")
    }

    func trainedTeacher(_ data: String) throws -> String {
        let r = try stain(["train", try teacherRecipe(data), "--out", "teacher", "--threads", "1", "--progress", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return folder.appendingPathComponent("teacher/export/teacher.safetensors").path
    }

    func testDatasetIsUnpairedAndDocumented() throws {
        let data = try makeData()
        let names = { (sub: String) in Set((try? FileManager.default.contentsOfDirectory(atPath: data + "/" + sub)) ?? []) }
        XCTAssertFalse(names("trainA").isEmpty)
        XCTAssertTrue(names("trainA").isDisjoint(with: names("trainB")), "trainA and trainB must come from different tiles")
        XCTAssertTrue(names("testA").isDisjoint(with: names("trainB").union(names("trainA"))))
        XCTAssertEqual(names("testA"), names("testB"))
        XCTAssertEqual(names("trainA"), names("trainC"))
        let readme = try String(contentsOfFile: data + "/README.md", encoding: .utf8)
        XCTAssertTrue(readme.contains("brightfield-source.png") && readme.contains("tissue"))
    }

    /// The enhancement ablations: with `data.dataset-z: false` the run makes its own z with the recipe's
    /// enhancement although the data set has (inverse-matched) trainC/testC; by default it uses the data set's.
    func testEnhancementAblationMakesItsOwnZ() throws {
        let data = try makeData()
        let teacher = try trainedTeacher(data)
        let recipe = try studentRecipe(data, teacher: teacher)
        let ownZ = try stain(["train", recipe, "--out", "zscore", "--threads", "1", "--progress", "none",
                              "--set", "schedule.epochs=1", "--set", "data.enhancement=zscore",
                              "--set", "data.dataset-z=false"])
        XCTAssertEqual(ownZ.status, 0, ownZ.stderr)
        let manager = FileManager.default
        let trainA = try manager.contentsOfDirectory(atPath: data + "/trainA").sorted()
        let made = folder.appendingPathComponent("zscore/enhanced/trainC").path
        XCTAssertEqual(try manager.contentsOfDirectory(atPath: made).sorted(), trainA)
        XCTAssertTrue(manager.fileExists(atPath: folder.appendingPathComponent("zscore/enhanced/testC").path))
        // z-score z is not the data set's inverse-matched z.
        let differs = try trainA.contains {
            try Data(contentsOf: URL(fileURLWithPath: made + "/" + $0))
                != Data(contentsOf: URL(fileURLWithPath: data + "/trainC/" + $0))
        }
        XCTAssertTrue(differs, "the run must make z-score z, not copy the data set's")

        let datasetZ = try stain(["train", recipe, "--out", "inverse", "--threads", "1", "--progress", "none",
                                  "--set", "schedule.epochs=1"])
        XCTAssertEqual(datasetZ.status, 0, datasetZ.stderr)
        XCTAssertFalse(manager.fileExists(atPath: folder.appendingPathComponent("inverse/enhanced").path),
                       "with the default the data set's trainC/testC are z")
    }

    /// `stain bench count` sizes the networks a recipe trains. G with 2 filters and 1 block, 4 → 3 channels:
    /// c7s1 4·2·49+2 = 394, d 2·4·9+4 = 76, d 4·8·9+8 = 296, one block 2·(8·8·9+8) = 1,168, u 8·4·9+4 = 292,
    /// u 4·2·9+2 = 74, c7s1 2·3·49+3 = 297: 2,597 parameters; F (3 input channels) 2,499.
    func testBenchCountTakesTheRecipeSizes() throws {
        let r = try stain(["bench", "count", "--size", "64", "--filters", "2", "--blocks", "1",
                           "--discriminator-filters", "2", "--colorizer-width", "2", "--registration-width", "4",
                           "--registration-depth", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("G (student") && $0.contains(" 2,597 ") }, r.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("F (backward") && $0.contains(" 2,499 ") }, r.stdout)
        XCTAssertFalse(r.stdout.contains("too small"), r.stdout)
    }

    /// Final exported weights of a run folder.
    func weights(_ run: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(run + "/export/student-G.safetensors"))
    }

    func resumeAfter(signal sig: Int32, run name: String, recipe: String) throws -> Int32 {
        let process = Process()
        process.executableURL = stainBinary
        process.arguments = ["train", recipe, "--out", name, "--threads", "1", "--progress", "none"]
        process.currentDirectoryURL = folder
        process.standardError = FileHandle.nullDevice
        try process.run()
        let checkpoint = folder.appendingPathComponent(name + "/checkpoint.safetensors").path
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint), "no checkpoint appeared")
        Thread.sleep(forTimeInterval: 0.3)  // mid-way between checkpoints
        kill(process.processIdentifier, sig)
        process.waitUntilExit()
        let status = process.terminationStatus
        let resumed = try stain(["train", "--resume", name, "--threads", "1", "--progress", "none"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        return status
    }

    func testInterruptedRunsResumeToTheSameWeights() throws {
        let data = try makeData()
        let recipe = try studentRecipe(data, teacher: try trainedTeacher(data))
        let straight = try stain(["train", recipe, "--out", "straight", "--threads", "1", "--progress", "none"])
        XCTAssertEqual(straight.status, 0, straight.stderr)

        let killed = try resumeAfter(signal: SIGKILL, run: "killed", recipe: recipe)
        XCTAssertNotEqual(killed, 0)
        XCTAssertEqual(try weights("killed"), try weights("straight"), "SIGKILL + resume must end with the same weights")

        let interrupted = try resumeAfter(signal: SIGINT, run: "interrupted", recipe: recipe)
        XCTAssertEqual(interrupted, 130, "Ctrl-C saves a checkpoint and exits 130")
        XCTAssertEqual(try weights("interrupted"), try weights("straight"), "Ctrl-C + resume must end with the same weights")

        // The resumed log reads like the uninterrupted one: one row per step, in order.
        let log = try String(contentsOfFile: folder.appendingPathComponent("killed/log.csv").path, encoding: .utf8)
        let steps = log.split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: ",")[0]) }
        XCTAssertEqual(steps, Array(1...steps.count))
    }

    func testBadRecipesFailUpFrontWithPositions() throws {
        let data = try makeData()
        let cases: [(String, String)] = [
            ("recipe: teacher\ndata: {root: \(data)}\nmodel: {widht: 4}\n", "bad.yaml:3:9: key 'model.widht': unknown key (did you mean 'model.width'?)"),
            ("recipe: teacher\ndata: {root: missing-folder}\n", "missing folder"),
            ("recipe: teacher\ndata: {root: \(data)}\nschedule: {epochs: -3}\n", "key 'schedule.epochs': -3 is outside"),
            ("recipe: student-unpaired\ndata: {root: \(data)}\nmodel: {teacher: bad.yaml}\n", "is not a colorizer's weights"),
            ("recipe: teachr\n", "did you mean 'teacher'"),
            ("recipe: teacher\ndata: {root: \(data)}\nloss: {cycle: 3}\n", "not used by a 'teacher' recipe"),
        ]
        for (text, expected) in cases {
            let path = try write(text, to: "bad.yaml")
            let r = try stain(["train", path, "--out", "run-bad"])
            XCTAssertEqual(r.status, 2, "\(text): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "expected '\(expected)' in: \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("run-bad").path),
                           "a failed check must not leave a run folder")
        }
    }

    func testBadDataSetsAreNamed() throws {
        let data = try makeData()
        let manager = FileManager.default
        // An unpaired test set, a 1-band dark-field image, and an empty folder, reported together.
        let testB = data + "/testB"
        let first = try manager.contentsOfDirectory(atPath: testB).sorted()[0]
        try manager.moveItem(atPath: testB + "/" + first, toPath: testB + "/renamed.png")
        let trainA = data + "/trainA"
        let gray = try manager.contentsOfDirectory(atPath: trainA).sorted()[0]
        XCTAssertEqual(try stain(["run", repositoryRoot.appendingPathComponent("pipelines/enhance.yaml").path,
                                  "--set", "input=\(trainA)/\(gray)", "--set", "reference=\(sample("brightfield-reference.png"))",
                                  "--set", "output=\(folder.path)/gray.png"]).status, 0)
        try manager.removeItem(atPath: trainA + "/" + gray)
        try manager.moveItem(atPath: folder.path + "/gray.png", toPath: trainA + "/" + gray)
        let path = try write("recipe: student-unpaired\ndata: {root: \(data)}\nmodel: {teacher: \(path(of: "x.safetensors"))}\n",
                             to: "s.yaml")
        let r = try stain(["train", path, "--out", "run-bad"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(testB)/renamed.png: has no partner"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(trainA)/\(gray): has 1 band"), r.stderr)
        XCTAssertFalse(manager.fileExists(atPath: folder.appendingPathComponent("run-bad").path))
    }

    func path(of name: String) -> String {
        let p = folder.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data("not weights".utf8))
        return p
    }
}
