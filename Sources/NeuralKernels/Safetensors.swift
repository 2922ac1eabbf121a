import Foundation

/// The safetensors format: u64 little-endian header length N, N bytes of JSON header
/// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}, then the byte buffer.
/// Nothing in the header is trusted: lengths, dtypes, shapes and offsets are all checked.
public enum Safetensors {
    /// Header size limit (the reference implementation uses 100 MB).
    static let maxHeaderBytes = 100_000_000

    enum DType: String {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
        var size: Int {
            switch self {
            case .f32: return 4
            case .f16, .bf16: return 2
            case .f64: return 8
            }
        }
    }

    /// One tensor as a file's header describes it.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        /// The stored type: F32, F16, BF16 or F64 (every one is read as Float32).
        public let dtype: String
        public let shape: [Int]
    }

    /// The tensors a safetensors file holds, read from its header alone (the 8-byte length and the JSON): the
    /// network nodes check a file against their architecture at `stain validate` this way, without reading the
    /// weights themselves. The header passes every check `decode` makes (offsets included, against the file's
    /// size), so a file this accepts decodes unless its bytes change in between. Entries come in data order, the
    /// order `decode` gives the names.
    public static func header(path: String) throws -> [TensorInfo] {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
            throw TensorError.io(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let size: Int
        do { size = Int(try handle.seekToEnd()) } catch {
            throw TensorError.io(path: path, problem: "cannot read: \(error.localizedDescription)")
        }
        let layout = try layout(size: size, path: path) { range in
            let bytes: Data?
            do {
                try handle.seek(toOffset: UInt64(range.lowerBound))
                bytes = try handle.read(upToCount: range.count)
            } catch {
                throw TensorError.io(path: path, problem: "cannot read: \(error.localizedDescription)")
            }
            guard let bytes, bytes.count == range.count else {
                throw TensorError.io(path: path, problem: "cannot read: the file ended before byte \(range.upperBound)")
            }
            return bytes
        }
        return layout.entries.map { TensorInfo(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape) }
    }

    /// Parses and validates a whole safetensors file held in memory.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> StateDict {
        let layout = try layout(size: data.count, path: path) { range in
            data.subdata(in: (data.startIndex + range.lowerBound)..<(data.startIndex + range.upperBound))
        }
        var dict = StateDict()
        dict.metadata = layout.metadata
        try data.withUnsafeBytes { raw in
            guard let start = raw.baseAddress else { throw bad(path, "", "no bytes to read the tensors from") }
            let base = start + layout.bufferStart
            for e in layout.entries {
                var t = Tensor(uninitializedShape: e.shape)
                t.withUnsafeMutableBufferPointer { dst in convert(base + e.begin, e.dtype, dst) }
                dict[e.name] = t
            }
        }
        return dict
    }

    private static func bad(_ path: String, _ tensor: String, _ problem: String) -> TensorError {
        TensorError.badFile(path: path, tensor: tensor, problem: problem)
    }

    /// One tensor's header entry; `begin` and `end` are offsets into the data buffer.
    private struct Entry { let name: String; let dtype: DType; let shape: [Int]; let begin: Int; let end: Int }

    /// A checked header: the metadata, the entries in data order, and where the data buffer starts in the file.
    private struct Layout { var metadata: [String: String]; var entries: [Entry]; var bufferStart: Int }

    /// Reads and checks the header of a safetensors file of `size` bytes, asking `bytes` for the ranges it needs
    /// (the length field, then the JSON): one set of checks for a file in memory (`decode`) and for a header read
    /// from disk without the data (`header(path:)`).
    private static func layout(size: Int, path: String, bytes: (Range<Int>) throws -> Data) throws -> Layout {
        func bad(_ tensor: String, _ problem: String) -> TensorError { Safetensors.bad(path, tensor, problem) }
        guard size >= 8 else { throw bad("", "file of \(size) bytes is too short for a safetensors header") }
        let lengthField = try bytes(0..<8)
        let headerLength = lengthField.withUnsafeBytes { raw -> UInt64 in
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        }
        guard headerLength <= UInt64(size - 8) else {
            throw bad("", "header length \(headerLength) exceeds the \(size - 8) bytes after the length field "
                + "(truncated file or corrupt header length)")
        }
        guard headerLength <= UInt64(maxHeaderBytes), headerLength >= 2 else {
            throw bad("", "implausible header length \(headerLength)")
        }
        let n = Int(headerLength)
        let headerData = try bytes(8..<(8 + n))
        guard headerData.first == UInt8(ascii: "{") else { throw bad("", "header does not start with '{'") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: headerData) } catch {
            throw bad("", "header is not valid JSON: \(error.localizedDescription)")
        }
        guard let header = parsed as? [String: Any] else { throw bad("", "header is not a JSON object") }
        let bufferStart = 8 + n, bufferSize = size - bufferStart

        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: Any] else { throw bad("__metadata__", "is not an object") }
            for (k, v) in m {
                guard let s = v as? String else { throw bad("__metadata__", "value of '\(k)' is not a string") }
                metadata[k] = s
            }
        }
        var entries: [Entry] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else { throw bad(name, "entry is not an object") }
            guard let dtypeName = info["dtype"] as? String else { throw bad(name, "missing dtype") }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw bad(name, "unsupported dtype \(dtypeName) (F32, F16, BF16 and F64 are read)")
            }
            guard let shapeAny = info["shape"] as? [Any] else { throw bad(name, "missing or malformed shape") }
            var shape: [Int] = []
            var elements = 1
            for d in shapeAny {
                guard let v = exactInt(d), v >= 0, v <= Int(Int32.max) else {
                    throw bad(name, "shape \(shapeAny) has an invalid dimension")
                }
                shape.append(v)
                let (p, overflow) = elements.multipliedReportingOverflow(by: v)
                guard !overflow else { throw bad(name, "shape \(shape) is too large") }
                elements = p
            }
            guard let offs = info["data_offsets"] as? [Any], offs.count == 2,
                  let begin = exactInt(offs[0]), let end = exactInt(offs[1]) else {
                throw bad(name, "missing or malformed data_offsets")
            }
            guard begin >= 0, begin <= end, end <= bufferSize else {
                throw bad(name, "data_offsets [\(begin), \(end)] outside the \(bufferSize)-byte data buffer "
                    + "(truncated file?)")
            }
            let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, end - begin == bytes else {
                throw bad(name, "data_offsets span \(end - begin) bytes but shape \(shape) × \(dtype.rawValue) "
                    + "needs \(overflow ? "more than \(Int.max)" : String(bytes))")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var previous: Entry? = nil
        for e in entries {
            if let p = previous, e.begin < p.end {
                throw bad(e.name, "data [\(e.begin), \(e.end)) overlaps tensor '\(p.name)' [\(p.begin), \(p.end))")
            }
            if e.end > e.begin { previous = e }
        }
        return Layout(metadata: metadata, entries: entries, bufferStart: bufferStart)
    }

    /// Serializes a state dict as F32 safetensors bytes (tensors in order, header padded to 8 bytes).
    public static func encode(_ dict: StateDict) throws -> Data {
        var json = "{"
        var first = true
        if !dict.metadata.isEmpty {
            let pairs = dict.metadata.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }
            json += "\"__metadata__\":{\(pairs.joined(separator: ","))}"
            first = false
        }
        var offset = 0
        for (name, t) in dict.items {
            guard name != "__metadata__" else {
                throw TensorError.invalidArgument(op: "safetensors", detail: "'__metadata__' is reserved")
            }
            let bytes = t.count * 4
            json += (first ? "" : ",") + "\(quote(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            first = false
            offset += bytes
        }
        json += "}"
        var header = Array(json.utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for (_, t) in dict.items {
            t.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        return out
    }

    private static func exactInt(_ v: Any) -> Int? {
        if let n = v as? NSNumber {
            let d = n.doubleValue
            guard d == d.rounded(), Swift.abs(d) < 9.0e15 else { return nil }
            return n.intValue
        }
        return v as? Int
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    private static func convert(_ src: UnsafeRawPointer, _ dtype: DType, _ dst: UnsafeMutableBufferPointer<Float>) {
        let n = dst.count
        switch dtype {
        case .f32:
            for i in 0..<n { dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        case .f64:
            for i in 0..<n { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
        case .bf16:
            for i in 0..<n { dst[i] = Float(bitPattern: UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16) }
        case .f16:
            for i in 0..<n { dst[i] = halfToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        }
    }

    /// IEEE 754 binary16 → binary32 (exact).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = UInt32((h >> 10) & 0x1f), mantissa = UInt32(h & 0x3ff)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
