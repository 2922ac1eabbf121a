import Foundation

/// The shared half of every fuzz target. Built normally, a target is a replay tool: it runs each file named on its
/// command line (a seed corpus, or a crash libFuzzer saved) through its body once. Built for fuzzing
/// (`scripts/fuzz`: `-sanitize=fuzzer,address -parse-as-library -DFUZZING`), libFuzzer's `main` calls the
/// target's `LLVMFuzzerTestOneInput`, which hands each input to the same body.
public enum FuzzDriver {
    /// Replays files (folders: every file inside) through `body`; prints how many ran.
    public static func replay(_ arguments: [String], _ body: (Data) -> Void) {
        var count = 0
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("no such file: \(argument)\n".utf8))
                exit(2)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted()
                    .map { (argument as NSString).appendingPathComponent($0) }
                : [argument]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                body(data)
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}
