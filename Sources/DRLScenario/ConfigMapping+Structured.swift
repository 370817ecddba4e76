import Foundation
import DRLSimCore

/// Readers of the structured parameter kinds (`ParameterKind.distribution`, `.interval`,
/// `.path`, `.variant`), so that a key declared with one of them is decoded, checked and
/// reported (file, line, key path, did-you-mean) by its declaration alone.
extension ConfigMapping {
    /// Reads a `ParameterKind.variant` mapping: `type:` one of the variants' types (a close
    /// misspelling is suggested), then that variant's declared keys (`parameters(_:)`); any
    /// other key is refused by `finish()`.
    public func variant(_ variants: [ParameterVariant]) throws -> ParameterValue {
        let type = try choice("type", among: variants.map(\.type))
        let chosen = variants.first { $0.type == type }!
        return .typed(type, try parameters(chosen.schema))
    }
}

extension ConfigValue {
    /// A `[low, high]` pair of `kind` with `low <= high`.
    func interval(_ kind: ParameterKind) throws -> ParameterValue {
        let key = path.description.split(separator: ".").last.map(String.init) ?? "value"
        let l = try list()
        guard l.count == 2 else { throw error(.invalidValue, "\(key) is [min, max]: two values of \(kind.expected)") }
        let lo = try l[0].parameter(kind), hi = try l[1].parameter(kind)
        guard (lo.magnitude ?? 0) <= (hi.magnitude ?? 0) else {
            throw error(.invalidValue, "\(key) needs min <= max (\(lo.readable) > \(hi.readable))")
        }
        return .interval(lo, hi)
    }

    /// A file path as written, resolved against the scenario file's folder unless absolute.
    func filePath() throws -> String {
        let file = try string()
        let base = (context.file as NSString).deletingLastPathComponent
        return file.hasPrefix("/") || base.isEmpty ? file : (base as NSString).appendingPathComponent(file)
    }
}

extension QuantityDimension {
    /// The dimension of a parameter kind's quantities (`size` -> bytes, `duration` -> seconds,
    /// `rate` -> bits/s, anything else plain numbers).
    public init(_ kind: ParameterKind) {
        switch kind {
        case .size: self = .size
        case .duration: self = .time
        case .rate: self = .rate
        default: self = .number
        }
    }
}
