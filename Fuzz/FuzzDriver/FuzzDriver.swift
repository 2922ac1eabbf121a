import Foundation

#if FUZZING
/// libFuzzer's entry for programs that have their own `main` (LLVM ≥ 11): parses libFuzzer's flags from argv and
/// fuzzes `callback`.
@_silgen_name("LLVMFuzzerRunDriver")
private func llvmFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

/// The shared half of every fuzz target (`Fuzz/Fuzz*`): each target's `main` hands its body to `FuzzDriver.main`.
/// Built normally, a target is a replay tool: it runs each file named on its command line (a seed corpus folder,
/// or a crash libFuzzer saved) through the body once. Built for fuzzing (`scripts/fuzz`:
/// `-sanitize=fuzzer,address -DFUZZING`), libFuzzer drives the body with its own flags (`-max_total_time=…`).
public enum FuzzDriver {
    nonisolated(unsafe) private static var body: ((Data) -> Void)?

    public static func main(_ body: @escaping (Data) -> Void) -> Never {
        #if FUZZING
        FuzzDriver.body = body
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        let code = llvmFuzzerRunDriver(&argc, &argv) { bytes, count in
            FuzzDriver.body?(bytes.map { Data(bytes: $0, count: count) } ?? Data())
            return 0
        }
        exit(code)
        #else
        replay(Array(CommandLine.arguments.dropFirst()), body)
        exit(0)
        #endif
    }

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
