import Foundation
import StainCore
import Vips

/// A data set in the CycleGAN layout, checked from the image headers before training starts:
/// `trainA` dark-field x, `trainB` bright-field y, optional `trainC` enhanced z (paired with trainA by file name),
/// `testA`/`testB`[/`testC`] for validation (paired by file name). Every problem is reported at once, naming the file.
public struct TrainingSet: Sendable {
    public let root: String
    public let trainA: [String]
    public let trainB: [String]
    /// nil when the folder is absent: z is then computed by `Enhancer` and cached in the run folder.
    public let trainC: [String]?
    public let testA: [String]
    public let testB: [String]
    public let testC: [String]?
    /// Width and height shared by every image.
    public let width: Int, height: Int

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff"]

    /// Scans and checks `root` for `kind`: the teacher needs trainB (and testB); the unpaired student needs trainA,
    /// trainB and testA/testB. `crop`, when nonzero, must fit the images.
    public static func open(root: String, kind: Recipe.Kind, crop: Int) throws -> TrainingSet {
        var problems: [Diagnostic] = []
        func problem(_ path: String, _ message: String) {
            problems.append(Diagnostic(SourceLocation(file: path, line: 0, column: 0), message))
        }
        func list(_ name: String, required: Bool) -> [String]? {
            let folder = (root as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                if required { problem(folder, "missing folder (the data set needs \(name)/)") }
                return nil
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { !$0.hasPrefix(".") && imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted()
            if names.isEmpty && required { problem(folder, "no images (.png, .jpg, .tif) in this folder") }
            return names.map { (folder as NSString).appendingPathComponent($0) }
        }
        let needsA = kind != .teacher
        let trainA = list("trainA", required: needsA) ?? []
        let trainB = list("trainB", required: true) ?? []
        let trainC = needsA ? list("trainC", required: false) : nil
        let testA = list("testA", required: needsA) ?? []
        let testB = list("testB", required: true) ?? []
        let testC = needsA ? list("testC", required: false) : nil

        if let trainC { pairByName(trainA, trainC, "trainA", "trainC", problem) }
        if kind == .studentPaired { pairByName(trainA, trainB, "trainA", "trainB", problem) }
        if needsA { pairByName(testA, testB, "testA", "testB", problem) }
        if let testC { pairByName(testA, testC, "testA", "testC", problem) }

        // Headers: 8-bit, RGB where RGB is needed, one size for all.
        var size: (Int, Int)?
        func check(_ paths: [String], bands allowed: Set<Int>, what: String) {
            for path in paths {
                guard let image = try? VipsImage(contentsOf: path) else {
                    problem(path, "cannot read this image"); continue
                }
                if image.format != .uchar { problem(path, "is \(image.format.nick); training images must be 8-bit") }
                if !allowed.contains(image.bands) {
                    problem(path, "has \(image.bands) band\(image.bands == 1 ? "" : "s"); \(what) needs "
                            + allowed.sorted().map(String.init).joined(separator: " or "))
                }
                if let (w, h) = size, (w, h) != (image.width, image.height) {
                    problem(path, "is \(image.width)×\(image.height), the other images are \(w)×\(h)")
                } else if size == nil {
                    size = (image.width, image.height)
                }
            }
        }
        check(trainA + testA, bands: [3], what: "a dark-field image x (RGB)")
        check(trainB + testB, bands: [3], what: "a bright-field image y (RGB)")
        check((trainC ?? []) + (testC ?? []), bands: [1, 3], what: "an enhanced image z (gray or 3 equal bands)")
        let (w, h) = size ?? (0, 0)
        if let (w, h) = size {
            let side = min(w, h)
            if w % 8 != 0 || h % 8 != 0 {
                problem(root, "images are \(w)×\(h): validation runs the networks on whole images, so both sides must "
                        + "be multiples of 8")
            }
            if crop > side {
                problem(root, "data.crop \(crop) is larger than the images (\(w)×\(h))")
            }
            if crop == 0 && w != h && problems.isEmpty {
                problem(root, "images are \(w)×\(h): the paper's rotations need square images or a data.crop")
            }
        }
        if !problems.isEmpty { throw RecipeInvalid(problems) }
        return TrainingSet(root: root, trainA: trainA, trainB: trainB, trainC: trainC, testA: testA, testB: testB,
                           testC: testC, width: w, height: h)
    }

    private static func pairByName(_ a: [String], _ b: [String], _ nameA: String, _ nameB: String,
                                   _ problem: (String, String) -> Void) {
        func stem(_ p: String) -> String { ((p as NSString).lastPathComponent as NSString).deletingPathExtension }
        let stemsA = Set(a.map(stem)), stemsB = Set(b.map(stem))
        for path in a where !stemsB.contains(stem(path)) { problem(path, "has no partner named '\(stem(path))' in \(nameB)/") }
        for path in b where !stemsA.contains(stem(path)) { problem(path, "has no partner named '\(stem(path))' in \(nameA)/") }
    }

    /// A SHA-256 over every file name and content, identifying the data a model was trained on.
    public func fingerprint() throws -> String {
        let hash = try StainCore.SHA256()
        for path in trainA + trainB + (trainC ?? []) + testA + testB + (testC ?? []) {
            hash.update(Data(((path as NSString).lastPathComponent + "\n").utf8))
            hash.update(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
