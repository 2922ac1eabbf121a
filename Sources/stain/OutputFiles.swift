import Foundation
import StainCore

/// Files the commands write outside a pipeline (eval tables, info thumbnails, provenance sidecars): created the
/// way pipeline writers create theirs — missing folders are made, the file appears whole or not at all — and every
/// failure names the file the user asked for, never a temporary name.
enum OutputFiles {
    /// Creates the folder `path` goes into, with its parents, as the pipeline writers do.
    static func createFolder(for path: String) throws {
        try checkLocation(path)
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Refuses an output (file or folder) below a regular file, before any work starts: the error a writer would
    /// meet later can name only its temporary file or staging folder (`out.partial`).
    static func checkLocation(_ path: String) throws {
        if let file = CLIErrorText.fileInTheWay(of: path) {
            throw OutputLocationError(message: "cannot write '\(path)': '\(file)' is a file, not a folder")
        }
    }

    /// Writes `data` to `path` atomically (a temporary file in the same folder, renamed into place).
    static func write(_ data: Data, to path: String) throws {
        try createFolder(for: path)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// An output path that cannot exist (a file stands where a folder would have to be).
struct OutputLocationError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Whether two paths name one file (through links, `..` or another spelling), so that an output never replaces
/// the input it was made from.
enum SamePath {
    static func same(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        guard stat(a, &first) == 0, stat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}

/// Error text for people, for the errors the commands meet outside pipelines. Foundation's file errors say
/// "The operation could not be completed. The file doesn't exist." without naming a file, or "(NSCocoaErrorDomain
/// error 512.)": these become "cannot write 'out/r.json': 'out' is a file, not a folder". Everything else is
/// `ErrorText`'s one line.
enum CLIErrorText {
    static func describe(_ error: Error) -> String {
        fileProblem(error) ?? ErrorText.describe(error)
    }

    /// A sentence for a Foundation file error that carries the file's path, or nil for any other error.
    static func fileProblem(_ error: Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain,
              let fullPath = ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        else { return nil }
        let path = relative(fullPath)
        // Foundation's read errors are 256...264, its write errors 512...642; 4 (no such file) comes from both.
        let verb = (256...264).contains(ns.code) ? "cannot read" : "cannot write"
        let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
        // Whatever the code says, a file standing where a folder should be, or a missing folder, is the story.
        if let file = fileInTheWay(of: fullPath) { return "\(verb) '\(path)': '\(relative(file))' is a file, not a folder" }
        if let missing = missingFolder(of: fullPath) {
            return "\(verb) '\(path)': the folder '\(relative(missing))' does not exist"
        }
        if let posix, posix != Int(ENOENT) {
            return "\(verb) '\(path)': \(String(cString: strerror(Int32(truncatingIfNeeded: posix))).lowercased())"
        }
        let reasons = [257: "permission denied", 513: "permission denied", 516: "a file of that name is in the way",
                       640: "the disk is full", 642: "the volume is read-only"]
        if let reason = reasons[ns.code] { return "\(verb) '\(path)': \(reason)" }
        if posix != nil || [4, 260].contains(ns.code) {
            return verb == "cannot read" ? "no such file '\(path)'" : "\(verb) '\(path)': no such file or folder"
        }
        return "\(verb) '\(path)' (Foundation error \(ns.code))"
    }

    /// The path relative to the current folder when it lies inside it (Foundation makes every path absolute).
    static func relative(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
    }

    /// The nearest ancestor folder of `path` that does not exist, when its parent does (the one to create).
    static func missingFolder(of path: String) -> String? {
        var folder = (path as NSString).deletingLastPathComponent
        var missing: String?
        while !folder.isEmpty && folder != "/" && !FileManager.default.fileExists(atPath: folder) {
            missing = folder
            folder = (folder as NSString).deletingLastPathComponent
        }
        return missing
    }

    /// The ancestor of `path` that exists as a regular file (so nothing can be created below it).
    static func fileInTheWay(of path: String) -> String? {
        var folder = (path as NSString).deletingLastPathComponent
        while !folder.isEmpty && folder != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && !isDirectory.boolValue {
                return folder
            }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return nil
    }
}
